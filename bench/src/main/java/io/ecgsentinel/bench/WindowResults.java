package io.ecgsentinel.bench;

import io.ecgsentinel.flink.records.WindowAnalysis;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The bench's per-window output: one small record per analysed (and scored) window, keyed by patient,
 * written by the job through an EXACTLY_ONCE Kafka sink like the alerts, so a read_committed consumer
 * sees it exactly when a dashboard would see an alert decided on that window.
 */
final class WindowResults {

    private WindowResults() {}

    /** One decoded result. */
    record Result(String patientId, long windowStartMicros, long windowEndMicros, int scoredBeats, int beats) {}

    static Result parse(byte[] key, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        return new Result(new String(key, StandardCharsets.UTF_8), b.getLong(), b.getLong(), b.getInt(), b.getInt());
    }

    /** Serializer of the window results (a named class: Flink cannot serialize lambdas as schemas). */
    static final class Schema implements KafkaRecordSerializationSchema<WindowAnalysis> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Schema(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(WindowAnalysis a, KafkaSinkContext context, Long timestamp) {
            ByteBuffer b = ByteBuffer.allocate(24);
            b.putLong(a.windowStartMicros()).putLong(a.windowEndMicros())
                    .putInt(a.scoredBeatMicros().length).putInt(a.beatMicros().length);
            return new ProducerRecord<>(topic, a.patientId().getBytes(StandardCharsets.UTF_8), b.array());
        }
    }
}
