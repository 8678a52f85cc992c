package io.ecgsentinel.kafka;

import io.ecgsentinel.kafka.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transactions and consumer-group offsets against the in-JVM KRaft broker; runs everywhere. */
class TransactionalProduceConsumeIT extends TransactionalProduceConsumeContract {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.embedded();

    @Override
    protected KafkaBrokerExtension kafka() {
        return KAFKA;
    }
}
