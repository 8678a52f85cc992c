package io.ecgsentinel.kafka.junit;

import io.ecgsentinel.kafka.KafkaEndpoint;
import io.ecgsentinel.kafka.KafkaEndpoints;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives a test class one real Kafka endpoint: started before the first test,
 * closed after the last, with {@link #bootstrapServers()} and fresh, unique topic names so tests
 * never share data. By default the endpoint kind follows {@code -Decg.kafka=embedded|container}
 * (embedded if unset); a container that cannot run because Docker or Testcontainers is missing
 * makes the class skip through a JUnit assumption instead of failing. Register it as a {@code
 * static} field for one endpoint per class; as an instance field it starts one per test method.
 * It lives in main scope (JUnit is an optional dependency) so other modules' tests can use it by
 * depending on embedded-kafka in test scope.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();
 *
 * @Test
 * void roundTrip() {
 *     String topic = KAFKA.createUniqueTopic("ecg.frames.v1", 4);
 *     Properties producer = KAFKA.producerProperties();
 *     ...
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);

    private final KafkaEndpoint.Kind requestedKind;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final AtomicInteger topicCounter = new AtomicInteger();

    private KafkaEndpoint endpoint;
    /** The unique id of the JUnit context that started the endpoint; only that one closes it. */
    private String ownerContextId;

    private KafkaBrokerExtension(KafkaEndpoint.Kind kind) {
        this.requestedKind = kind;
    }

    /** An extension whose kind follows the {@code ecg.kafka} system property (embedded if unset). */
    public static KafkaBrokerExtension create() {
        return new KafkaBrokerExtension(null);
    }

    /** Always the in-JVM broker, whatever {@code ecg.kafka} says. */
    public static KafkaBrokerExtension embedded() {
        return new KafkaBrokerExtension(KafkaEndpoint.Kind.EMBEDDED);
    }

    /** Always a Testcontainers broker; the test class is skipped where Docker is unavailable. */
    public static KafkaBrokerExtension container() {
        return new KafkaBrokerExtension(KafkaEndpoint.Kind.CONTAINER);
    }

    /** Adds a broker property (for example {@code transaction.max.timeout.ms}) before the start. */
    public KafkaBrokerExtension withBrokerProperty(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of " + key);
        synchronized (this) {
            if (endpoint != null) {
                throw new IllegalStateException("Broker properties must be set before the broker starts");
            }
            brokerProperties.put(key, String.valueOf(value));
        }
        return this;
    }

    /** The kind this extension starts (resolving {@code ecg.kafka} if it was not fixed). */
    public KafkaEndpoint.Kind kind() {
        return requestedKind != null ? requestedKind : KafkaEndpoints.configuredKind();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfNeeded(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // A no-op for a static registration (already started in beforeAll); starts per test otherwise.
        startIfNeeded(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopIfOwner(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Nested classes also call afterAll; only the context that started the endpoint closes it.
        stopIfOwner(context);
    }

    private synchronized void startIfNeeded(ExtensionContext context) {
        if (endpoint != null) {
            return;
        }
        KafkaEndpoint.Kind kind = kind();
        if (kind == KafkaEndpoint.Kind.CONTAINER) {
            String reason = !KafkaEndpoints.testcontainersOnClasspath()
                    ? "org.testcontainers:kafka is not on the test classpath"
                    : !KafkaEndpoints.dockerAvailable() ? "no Docker engine is available" : null;
            if (reason != null) {
                LOG.warn("Skipping {}: a Kafka container was requested but {}", context.getDisplayName(), reason);
                Assumptions.abort("Kafka container requested but " + reason);
            }
        }
        endpoint = KafkaEndpoints.start(kind, Map.copyOf(brokerProperties));
        ownerContextId = context.getUniqueId();
        LOG.info("{} Kafka for {} at {}", kind.name().toLowerCase(Locale.ROOT), context.getDisplayName(),
                endpoint.bootstrapServers());
    }

    private synchronized void stopIfOwner(ExtensionContext context) {
        if (endpoint != null && context.getUniqueId().equals(ownerContextId)) {
            try {
                endpoint.close();
            } finally {
                endpoint = null;
                ownerContextId = null;
            }
        }
    }

    /** The running endpoint. */
    public synchronized KafkaEndpoint endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("No Kafka endpoint is running: register KafkaBrokerExtension with "
                    + "@RegisterExtension and use it from a test or a @BeforeAll/@BeforeEach method");
        }
        return endpoint;
    }

    /** The {@code bootstrap.servers} of the running endpoint. */
    public String bootstrapServers() {
        return endpoint().bootstrapServers();
    }

    /**
     * A topic name that no other test in this JVM will use: {@code prefix}, a counter and a random
     * suffix, joined by dashes. Characters that Kafka forbids in topic names become dashes. The topic
     * is not created; see {@link #createUniqueTopic}.
     */
    public String uniqueTopicName(String prefix) {
        String clean = prefix == null || prefix.isBlank() ? "test" : prefix.replaceAll("[^a-zA-Z0-9._-]", "-");
        String suffix = "-" + topicCounter.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        int maxPrefix = 200 - suffix.length();
        return (clean.length() > maxPrefix ? clean.substring(0, maxPrefix) : clean) + suffix;
    }

    /** {@link #uniqueTopicName(String)} with the prefix {@code test}. */
    public String uniqueTopicName() {
        return uniqueTopicName("test");
    }

    /** Creates a topic with a {@linkplain #uniqueTopicName(String) unique name} and returns the name. */
    public String createUniqueTopic(String prefix, int partitions) {
        String name = uniqueTopicName(prefix);
        endpoint().createTopic(name, partitions);
        return name;
    }

    /** Creates a topic with exactly this name; see {@link KafkaEndpoint#createTopic}. */
    public void createTopic(String name, int partitions) {
        endpoint().createTopic(name, partitions);
    }

    /** See {@link KafkaEndpoint#adminProperties()}. */
    public Properties adminProperties() {
        return endpoint().adminProperties();
    }

    /** See {@link KafkaEndpoint#producerProperties()}. */
    public Properties producerProperties() {
        return endpoint().producerProperties();
    }

    /** See {@link KafkaEndpoint#transactionalProducerProperties(String)}. */
    public Properties transactionalProducerProperties(String transactionalId) {
        return endpoint().transactionalProducerProperties(transactionalId);
    }

    /** See {@link KafkaEndpoint#consumerProperties(String)}. */
    public Properties consumerProperties(String groupId) {
        return endpoint().consumerProperties(groupId);
    }
}
