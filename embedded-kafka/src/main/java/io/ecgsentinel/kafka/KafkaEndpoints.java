package io.ecgsentinel.kafka;

import java.util.Locale;
import java.util.Map;

/**
 * Starts the Kafka endpoint this run asked for: the in-JVM {@link EmbeddedKafkaBroker} (the
 * default) or a Docker-backed {@link ContainerKafka}, selected by the system property {@value
 * #KIND_PROPERTY} ({@code embedded} or {@code container}). Tests and demos call {@link #start()} and
 * never name an implementation, so the same suite runs on Docker-less CI and, with
 * {@code -Decg.kafka=container}, against Kafka's official image. Testcontainers classes are touched
 * only on the container path, so the embedded path needs no Docker libraries on the classpath.
 */
public final class KafkaEndpoints {
    /** System property that selects the endpoint kind: {@code embedded} (default) or {@code container}. */
    public static final String KIND_PROPERTY = "ecg.kafka";

    /** System property that overrides the container image ({@value ContainerKafka#DEFAULT_IMAGE}). */
    public static final String IMAGE_PROPERTY = "ecg.kafka.image";

    private static final String TESTCONTAINERS_PROBE = "org.testcontainers.DockerClientFactory";
    private static volatile Boolean dockerAvailable;

    private KafkaEndpoints() {}

    /** The kind named by {@value #KIND_PROPERTY}, {@link KafkaEndpoint.Kind#EMBEDDED} if unset. */
    public static KafkaEndpoint.Kind configuredKind() {
        return parseKind(System.getProperty(KIND_PROPERTY));
    }

    /** Starts the {@linkplain #configuredKind() configured} kind with default broker settings. */
    public static KafkaEndpoint start() {
        return start(configuredKind(), Map.of());
    }

    /** Starts {@code kind} with default broker settings. */
    public static KafkaEndpoint start(KafkaEndpoint.Kind kind) {
        return start(kind, Map.of());
    }

    /**
     * Starts {@code kind} with extra broker properties on top of {@link
     * EmbeddedKafkaBroker#DEFAULT_PROPERTIES}.
     *
     * @throws KafkaEndpointException if a container is asked for where Testcontainers or a Docker
     *     engine is missing (tests should check {@link #dockerAvailable()} first and skip)
     */
    public static KafkaEndpoint start(KafkaEndpoint.Kind kind, Map<String, String> brokerProperties) {
        switch (kind) {
            case EMBEDDED:
                return EmbeddedKafkaBroker.builder().brokerProperties(brokerProperties).start();
            case CONTAINER:
                if (!testcontainersOnClasspath()) {
                    throw new KafkaEndpointException(KIND_PROPERTY + "=container needs "
                            + "org.testcontainers:kafka on the classpath (it is optional in embedded-kafka)");
                }
                if (!dockerAvailable()) {
                    throw new KafkaEndpointException(KIND_PROPERTY + "=container needs a Docker engine, "
                            + "and none is reachable");
                }
                return ContainerKafka.start(
                        System.getProperty(IMAGE_PROPERTY, ContainerKafka.DEFAULT_IMAGE), brokerProperties);
            default:
                throw new IllegalArgumentException("Unknown Kafka endpoint kind " + kind);
        }
    }

    /** Whether the optional Testcontainers dependency is on the classpath. */
    public static boolean testcontainersOnClasspath() {
        try {
            Class.forName(TESTCONTAINERS_PROBE, false, KafkaEndpoints.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether Testcontainers is present and can reach a Docker engine. The answer is cached for the
     * JVM's lifetime, because probing takes a moment and does not change during a test run.
     */
    public static boolean dockerAvailable() {
        Boolean known = dockerAvailable;
        if (known == null) {
            known = testcontainersOnClasspath() && ContainerSupport.dockerAvailable();
            dockerAvailable = known;
        }
        return known;
    }

    static KafkaEndpoint.Kind parseKind(String value) {
        if (value == null || value.isBlank()) {
            return KafkaEndpoint.Kind.EMBEDDED;
        }
        try {
            return KafkaEndpoint.Kind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    KIND_PROPERTY + " must be 'embedded' or 'container', was '" + value + "'", e);
        }
    }
}
