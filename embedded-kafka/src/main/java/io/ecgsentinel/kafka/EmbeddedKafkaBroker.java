package io.ecgsentinel.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Kafka 4.2 cluster inside this JVM: Kafka's own {@link KafkaRaftServer} in
 * combined {@code broker,controller} mode with a static one-voter quorum, listening on free
 * 127.0.0.1 ports, with its log directory in a fresh temp directory that {@link #close()} deletes.
 * It exists because this project's machines and CI have no Docker engine, yet the tests, the demo
 * and the simulator need transactions, consumer groups and {@code read_committed} to behave exactly
 * as on a real cluster, which no mock gives. Storage is formatted through Kafka's {@link Formatter}
 * (the API behind {@code kafka-storage format}; the tool's {@code main} would call {@code exit}).
 *
 * <p>Broker defaults are chosen for one broker on a 2-core machine; see {@link #DEFAULT_PROPERTIES}.
 * Automatic topic creation is <b>off</b>, as on the project's real clusters: a mistyped topic name
 * then fails loudly instead of creating an empty one-partition topic, and partition counts are
 * always the ones the code asked for. Turn it on with {@code
 * builder().brokerProperty("auto.create.topics.enable", "true")} if a test really needs it.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
 *     kafka.createTopic("ecg.frames.v1", 4);
 *     Properties props = kafka.producerProperties();
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements KafkaEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The node id of the single combined broker/controller. */
    public static final int NODE_ID = 1;

    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";
    private static final int MAX_BIND_ATTEMPTS = 3;

    /**
     * Broker settings applied unless overridden through the {@link Builder}. The replication-factor
     * and ISR settings are what make consumer groups and transactions work on one broker: with
     * Kafka's defaults (3) the internal {@code __consumer_offsets} and {@code __transaction_state}
     * topics cannot be created and consumers silently receive nothing. The rest shrinks thread pools,
     * internal-topic partition counts and the log cleaner's 128 MiB dedupe buffer for a small machine.
     */
    public static final Map<String, String> DEFAULT_PROPERTIES = orderedMap(
            "num.partitions", "1",
            "default.replication.factor", "1",
            "min.insync.replicas", "1",
            "auto.create.topics.enable", "false",
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "4",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "4",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0",
            "num.network.threads", "2",
            "num.io.threads", "2",
            "background.threads", "2",
            "num.recovery.threads.per.data.dir", "1",
            "log.cleaner.threads", "1",
            "log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));

    /** Settings that define the node's identity and addresses; the broker owns them. */
    private static final Set<String> MANAGED_KEYS = Set.of(
            "process.roles",
            "node.id",
            "broker.id",
            "controller.quorum.voters",
            "controller.quorum.bootstrap.servers",
            "controller.listener.names",
            "listeners",
            "advertised.listeners",
            "listener.security.protocol.map",
            "inter.broker.listener.name",
            "log.dirs",
            "log.dir",
            "metadata.log.dir");

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final Map<String, String> overrides;
    private final int requestedPort;
    private final Duration startupTimeout;

    private State state = State.NEW;
    private Path baseDir;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private String clusterId;
    private Map<String, String> effectiveProperties = Map.of();
    private Duration startupDuration;
    private Thread cleanupHook;

    private EmbeddedKafkaBroker(Builder builder) {
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(builder.properties));
        this.requestedPort = builder.port;
        this.startupTimeout = builder.startupTimeout;
    }

    /** A builder for a broker with the {@link #DEFAULT_PROPERTIES}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats storage, starts the broker and returns once a client can describe the cluster, which
     * in combined mode means the broker is registered and unfenced. Calling it on a running broker
     * does nothing.
     *
     * @throws KafkaEndpointException if it cannot start within the startup timeout
     * @throws IllegalStateException if the broker was closed
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state == State.RUNNING) {
            return this;
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("This embedded Kafka broker was closed; build a new one");
        }
        long t0 = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce();
                break;
            } catch (RuntimeException e) {
                stopServerQuietly();
                deleteBaseDir();
                // Free ports are probed, then bound later: another process may win the race.
                if (requestedPort == 0 && attempt < MAX_BIND_ATTEMPTS && causedByBindFailure(e)) {
                    LOG.warn("Embedded Kafka port was taken meanwhile (attempt {}), retrying", attempt);
                    continue;
                }
                throw e instanceof KafkaEndpointException ke
                        ? ke
                        : new KafkaEndpointException("Could not start the embedded Kafka broker", e);
            }
        }
        startupDuration = Duration.ofNanos(System.nanoTime() - t0);
        state = State.RUNNING;
        cleanupHook = new Thread(this::close, "embedded-kafka-cleanup-" + clusterId);
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        LOG.info("Embedded Kafka ready at {} in {} ms (cluster {}, log dir {})",
                bootstrapServers, startupDuration.toMillis(), clusterId, baseDir);
        return this;
    }

    private void startOnce() {
        int brokerPort = requestedPort == 0 ? freePort() : requestedPort;
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }
        try {
            baseDir = Files.createTempDirectory("ecg-embedded-kafka-");
        } catch (IOException e) {
            throw new KafkaEndpointException("Could not create a temp directory for the Kafka log", e);
        }
        Path logDir = baseDir.resolve("kraft-combined-logs");
        clusterId = Uuid.randomUuid().toString();
        bootstrapServers = HOST + ":" + brokerPort;

        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + bootstrapServers);
        props.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", logDir.toString());
        // Bounds KafkaRaftServer.startup()'s own wait for the broker to be unfenced.
        props.put("server.max.startup.time.ms", String.valueOf(startupTimeout.toMillis()));
        props.putAll(DEFAULT_PROPERTIES);
        props.putAll(overrides);
        effectiveProperties = Collections.unmodifiableMap(props);

        Properties asProperties = new Properties();
        asProperties.putAll(props);
        KafkaConfig config = KafkaConfig.fromProps(asProperties, false);
        format(logDir);

        LOG.debug("Starting embedded Kafka at {} (controller port {})", bootstrapServers, controllerPort);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    private void format(Path logDir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new KafkaEndpointException("Could not format Kafka storage in " + logDir, e);
        }
        LOG.debug("Formatted Kafka storage: {}", out.toString(StandardCharsets.UTF_8).trim());
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            Exception last = null;
            while (TopicAdmin.remainingMs(deadline) > 0) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes()
                            .get(Math.min(5000, TopicAdmin.remainingMs(deadline)), TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaEndpointException("Interrupted while waiting for Kafka at " + bootstrapServers, e);
                }
                TopicAdmin.sleepQuietly(50);
            }
            throw new KafkaEndpointException("Embedded Kafka at " + bootstrapServers + " was not ready within "
                    + startupTimeout, last);
        }
    }

    @Override
    public synchronized String bootstrapServers() {
        requireRunning();
        return bootstrapServers;
    }

    @Override
    public Kind kind() {
        return Kind.EMBEDDED;
    }

    /** The port clients connect to. */
    public synchronized int port() {
        requireRunning();
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }

    /** The temp directory that holds the broker's log and metadata; deleted by {@link #close()}. */
    public synchronized Path dataDirectory() {
        if (baseDir == null) {
            throw new IllegalStateException("The embedded Kafka broker has not been started");
        }
        return baseDir;
    }

    /** The random cluster id the storage was formatted with. */
    public synchronized String clusterId() {
        requireRunning();
        return clusterId;
    }

    /** The complete broker configuration this broker was started with. */
    public synchronized Map<String, String> brokerProperties() {
        requireRunning();
        return effectiveProperties;
    }

    /** How long {@link #start()} took, formatting and readiness check included. */
    public synchronized Duration startupDuration() {
        requireRunning();
        return startupDuration;
    }

    /** Whether {@link #start()} succeeded and {@link #close()} has not been called. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Shuts the broker down, waits for it, and deletes its data directory. Safe to call more than
     * once, from several threads, and from a shutdown hook; a broker that never started is simply
     * marked closed.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.CLOSED;
        long t0 = System.nanoTime();
        stopServerQuietly();
        deleteBaseDir();
        removeCleanupHook();
        if (wasRunning) {
            LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    @Override
    public synchronized String toString() {
        return "EmbeddedKafkaBroker[" + state + (bootstrapServers == null ? "" : ", " + bootstrapServers) + "]";
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("The embedded Kafka broker is " + state.name().toLowerCase()
                    + ", not running");
        }
    }

    private void stopServerQuietly() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error while shutting down embedded Kafka at {}", bootstrapServers, e);
        } finally {
            server = null;
        }
    }

    private void deleteBaseDir() {
        if (baseDir == null || !Files.exists(baseDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(baseDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete embedded Kafka data directory {}", baseDir, e);
        }
    }

    private void removeCleanupHook() {
        if (cleanupHook == null || Thread.currentThread() == cleanupHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting; the hook may run and will find the broker closed.
        }
        cleanupHook = null;
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new KafkaEndpointException("Could not find a free port on " + HOST, e);
        }
    }

    private static Map<String, String> orderedMap(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Collects broker property overrides, a fixed client port and the startup timeout. Properties
     * that define the node's identity and addresses (listeners, quorum voters, log dirs, node id)
     * are managed by the broker and rejected here.
     */
    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private int port;
        private Duration startupTimeout = Duration.ofSeconds(120);

        private Builder() {}

        /** Sets one broker property, e.g. {@code transaction.max.timeout.ms}. */
        public Builder brokerProperty(String key, Object value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value of " + key);
            if (MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException("Broker property " + key
                        + " is managed by EmbeddedKafkaBroker and cannot be overridden");
            }
            properties.put(key, String.valueOf(value));
            return this;
        }

        /** Sets several broker properties; see {@link #brokerProperty}. */
        public Builder brokerProperties(Map<String, ?> props) {
            props.forEach(this::brokerProperty);
            return this;
        }

        /** Listens for clients on this port instead of a free one (0, the default, means free). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * How long {@link EmbeddedKafkaBroker#start()} may take; 120 s by default, because a start
         * that takes 0.5 s on an idle machine has taken over 20 s on a busy 2-core one.
         */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** A broker with these settings, not yet started. */
        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        /** Builds and {@linkplain EmbeddedKafkaBroker#start() starts} the broker. */
        public EmbeddedKafkaBroker start() {
            EmbeddedKafkaBroker broker = build();
            try {
                return broker.start();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }
    }
}
