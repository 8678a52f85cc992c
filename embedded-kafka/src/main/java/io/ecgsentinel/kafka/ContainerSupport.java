package io.ecgsentinel.kafka;

import org.testcontainers.DockerClientFactory;

/**
 * The only place that touches Testcontainers before a container is requested. It is loaded only
 * after {@link KafkaEndpoints#testcontainersOnClasspath()} said yes, so the embedded path works
 * without the optional dependency.
 */
final class ContainerSupport {
    private ContainerSupport() {}

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
