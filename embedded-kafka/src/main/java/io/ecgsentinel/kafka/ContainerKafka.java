package io.ecgsentinel.kafka;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A single-node Kafka in Docker ({@value #DEFAULT_IMAGE} by default) through Testcontainers, with the
 * same one-broker settings as {@link EmbeddedKafkaBroker} so that transactions and consumer groups
 * behave the same. It exists to run the very same tests against Kafka's official image where a
 * Docker engine is available (select it with {@code -Decg.kafka=container}); on this project's
 * Docker-less machines {@link KafkaEndpoints#dockerAvailable()} is false and tests skip it.
 * Testcontainers is an optional dependency of this module: a module that wants this path adds
 * {@code org.testcontainers:kafka} to its own test scope.
 */
public final class ContainerKafka implements KafkaEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerKafka.class);

    /** The image used unless {@value KafkaEndpoints#IMAGE_PROPERTY} names another. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.2.0";

    private final KafkaContainer container;
    private final String image;
    private final String bootstrapServers;
    private boolean closed;

    private ContainerKafka(KafkaContainer container, String image) {
        this.container = container;
        this.image = image;
        this.bootstrapServers = container.getBootstrapServers();
    }

    /** Starts the image named by {@value KafkaEndpoints#IMAGE_PROPERTY}, or the default one. */
    public static ContainerKafka start() {
        return start(System.getProperty(KafkaEndpoints.IMAGE_PROPERTY, DEFAULT_IMAGE), Map.of());
    }

    /**
     * Starts {@code image} with the embedded broker's {@link EmbeddedKafkaBroker#DEFAULT_PROPERTIES}
     * plus {@code brokerProperties}, passed as the image's {@code KAFKA_*} environment variables.
     *
     * @throws KafkaEndpointException if Docker is unavailable or the container does not start
     */
    public static ContainerKafka start(String image, Map<String, String> brokerProperties) {
        long t0 = System.nanoTime();
        KafkaContainer container = new KafkaContainer(image).withStartupTimeout(Duration.ofMinutes(2));
        EmbeddedKafkaBroker.DEFAULT_PROPERTIES.forEach((k, v) -> container.withEnv(envName(k), v));
        brokerProperties.forEach((k, v) -> container.withEnv(envName(k), v));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new KafkaEndpointException("Could not start Kafka container " + image, e);
        }
        ContainerKafka kafka = new ContainerKafka(container, image);
        LOG.info("Kafka container {} ready at {} in {} ms", image, kafka.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return kafka;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Kind kind() {
        return Kind.CONTAINER;
    }

    /** The Docker image this container runs. */
    public String image() {
        return image;
    }

    /** Stops and removes the container. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        container.close();
        LOG.info("Kafka container {} at {} stopped", image, bootstrapServers);
    }

    /**
     * The apache/kafka image turns {@code KAFKA_FOO_BAR} into {@code foo.bar}; an underscore in a
     * property name is written {@code __} and a dash {@code ___}.
     */
    static String envName(String property) {
        return "KAFKA_" + property.replace("_", "__").replace("-", "___").replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
