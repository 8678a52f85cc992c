package io.ecgsentinel.kafka;

import io.ecgsentinel.kafka.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same transaction tests against Kafka's official image through Testcontainers. Runs only with
 * {@code -Decg.kafka=container}; even then the extension skips it where no Docker engine answers.
 */
@EnabledIfSystemProperty(named = KafkaEndpoints.KIND_PROPERTY, matches = "(?i)container")
class ContainerTransactionalProduceConsumeIT extends TransactionalProduceConsumeContract {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.container();

    @Override
    protected KafkaBrokerExtension kafka() {
        return KAFKA;
    }
}
