package io.ecgsentinel.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Lifecycle and administration of the in-JVM broker itself. */
class EmbeddedKafkaBrokerIT {

    @Test
    void createsTopicsWithTheRequestedPartitionCountsAndAppliesExtraProperties() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .brokerProperty("transaction.max.timeout.ms", 120_000)
                .start()) {
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");

            broker.createTopic("ecg.frames.v1", 4);
            broker.createTopics(Map.of("ecg.anomalies.v1", 2, "ecg.frames.dlq.v1", 1));
            broker.createTopic("ecg.frames.v1", 4); // same count again: a no-op

            try (Admin admin = Admin.create(broker.adminProperties())) {
                Map<String, TopicDescription> topics = admin
                        .describeTopics(List.of("ecg.frames.v1", "ecg.anomalies.v1", "ecg.frames.dlq.v1"))
                        .allTopicNames().get();
                assertThat(topics.get("ecg.frames.v1").partitions()).hasSize(4);
                assertThat(topics.get("ecg.anomalies.v1").partitions()).hasSize(2);
                assertThat(topics.get("ecg.frames.dlq.v1").partitions()).hasSize(1);

                ConfigResource node = new ConfigResource(
                        ConfigResource.Type.BROKER, String.valueOf(EmbeddedKafkaBroker.NODE_ID));
                Config config = admin.describeConfigs(List.of(node)).all().get().get(node);
                assertThat(config.get("transaction.max.timeout.ms").value()).isEqualTo("120000");
                assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
                assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
            }

            assertThatThrownBy(() -> broker.createTopic("ecg.frames.v1", 8))
                    .isInstanceOf(KafkaEndpointException.class)
                    .hasMessageContaining("already exists with 4 partitions");
        }
    }

    @Test
    void closeIsIdempotentAndDeletesTheDataDirectory() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
        Path dir = broker.dataDirectory();
        assertThat(dir).isDirectory();
        assertThat(dir.resolve("kraft-combined-logs").resolve("meta.properties")).isRegularFile();

        broker.close();
        assertThat(Files.exists(dir)).as("data directory %s deleted", dir).isFalse();
        assertThat(broker.isRunning()).isFalse();

        broker.close(); // second close: nothing happens, nothing thrown
        assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void identityPropertiesCannotBeOverridden() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
    }
}
