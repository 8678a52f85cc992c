package io.ecgsentinel.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.kafka.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;

/** Endpoint selection and naming, without starting any broker. */
class KafkaEndpointsTest {

    @Test
    void kindDefaultsToEmbeddedAndParsesCaseInsensitively() {
        assertThat(KafkaEndpoints.parseKind(null)).isEqualTo(KafkaEndpoint.Kind.EMBEDDED);
        assertThat(KafkaEndpoints.parseKind(" ")).isEqualTo(KafkaEndpoint.Kind.EMBEDDED);
        assertThat(KafkaEndpoints.parseKind("embedded")).isEqualTo(KafkaEndpoint.Kind.EMBEDDED);
        assertThat(KafkaEndpoints.parseKind("Container")).isEqualTo(KafkaEndpoint.Kind.CONTAINER);
    }

    @Test
    void badKindNamesTheProperty() {
        assertThatThrownBy(() -> KafkaEndpoints.parseKind("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ecg.kafka")
                .hasMessageContaining("docker");
    }

    @Test
    void brokerPropertiesBecomeApacheKafkaImageEnvironmentVariables() {
        assertThat(ContainerKafka.envName("transaction.max.timeout.ms")).isEqualTo("KAFKA_TRANSACTION_MAX_TIMEOUT_MS");
        assertThat(ContainerKafka.envName("a_b-c.d")).isEqualTo("KAFKA_A__B___C_D");
    }

    @Test
    void uniqueTopicNamesAreValidAndDistinct() {
        KafkaBrokerExtension kafka = KafkaBrokerExtension.embedded();
        String a = kafka.uniqueTopicName("ecg.frames.v1");
        String b = kafka.uniqueTopicName("ecg.frames.v1");
        assertThat(a).isNotEqualTo(b).startsWith("ecg.frames.v1-").matches("[a-zA-Z0-9.-]+");
        assertThat(kafka.uniqueTopicName("bad name/with*chars")).matches("bad-name-with-chars-\\d+-[0-9a-f]{8}");
        assertThat(kafka.uniqueTopicName("x".repeat(300))).hasSizeLessThanOrEqualTo(249);
    }

    @Test
    void mainParsesItsFlags() {
        EmbeddedKafkaMain.Options o = EmbeddedKafkaMain.Options.parse(new String[] {
            "--port", "9092", "--topic", "ecg.frames.v1:4", "--topic", "ecg.anomalies.v1",
            "--property", "transaction.max.timeout.ms=900000"
        });
        assertThat(o.port).isEqualTo(9092);
        assertThat(o.topics).containsEntry("ecg.frames.v1", 4).containsEntry("ecg.anomalies.v1", 1);
        assertThat(o.properties).containsEntry("transaction.max.timeout.ms", "900000");
        assertThatThrownBy(() -> EmbeddedKafkaMain.Options.parse(new String[] {"--topic", "t:0"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaMain.Options.parse(new String[] {"--bogus"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
