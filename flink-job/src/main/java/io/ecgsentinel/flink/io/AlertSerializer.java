package io.ecgsentinel.flink.io;

import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.AlertExplanation;
import io.ecgsentinel.schemas.avro.AlertPriority;
import io.ecgsentinel.schemas.avro.AlertState;
import io.ecgsentinel.schemas.avro.AlertType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link AlertEvent}s as Avro single-object {@code Alert}s keyed by patient id (a named class: lambdas fail). */
public class AlertSerializer implements KafkaRecordSerializationSchema<AlertEvent> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient AvroSerde<Alert> serde;

    public AlertSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = AvroSerde.of(Alert.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AlertEvent a, KafkaSinkContext context, Long timestamp) {
        if (serde == null) {
            serde = AvroSerde.of(Alert.class);
        }
        // Kafka timestamp = publish time (null): event times of replays can be older than the topic's retention
        return new ProducerRecord<>(topic, null, null, a.patientId().getBytes(StandardCharsets.UTF_8),
                serde.serialize(toAvro(a)));
    }

    /** The Avro form of an alert event. */
    public static Alert toAvro(AlertEvent a) {
        return Alert.newBuilder()
                .setId(a.id())
                .setPatientId(a.patientId())
                .setDeviceId(a.deviceId() == null ? "" : a.deviceId())
                .setType(AlertType.valueOf(a.type()))
                .setPriority(AlertPriority.valueOf(a.priority()))
                .setState(AlertState.valueOf(a.state()))
                .setOnsetTimeMicros(a.onsetTimeMicros())
                .setDetectionTimeMicros(a.detectionTimeMicros())
                .setHeartRateBpm(Float.isNaN(a.heartRateBpm()) ? null : a.heartRateBpm())
                .setScore(Float.isNaN(a.score()) ? null : a.score())
                .setModelName(a.modelName())
                .setModelVersion(a.modelVersion())
                .setExplanation(AlertExplanation.newBuilder()
                        .setLeads(Arrays.asList(a.leads()))
                        .setSpanStartMicros(a.spanStartMicros())
                        .setSpanEndMicros(a.spanEndMicros())
                        .setText(a.text())
                        .build())
                .build();
    }
}
