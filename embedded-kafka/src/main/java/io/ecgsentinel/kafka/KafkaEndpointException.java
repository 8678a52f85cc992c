package io.ecgsentinel.kafka;

/**
 * Thrown when a Kafka endpoint cannot be started, formatted, reached or asked to create a topic.
 * It is unchecked so that test setup code stays short, and its message always names what was being
 * attempted (the topic, the bootstrap servers, the log directory) so a failed build log is enough to
 * see what went wrong.
 */
public class KafkaEndpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaEndpointException(String message) {
        super(message);
    }

    public KafkaEndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
