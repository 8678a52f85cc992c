package io.ecgsentinel.flink.io;

import io.ecgsentinel.flink.records.DeadLetterEvent;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.avro.DeadLetter;
import io.ecgsentinel.schemas.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link DeadLetterEvent}s as Avro single-object {@code DeadLetter}s (no key: the patient id may be unreadable). */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetterEvent> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient AvroSerde<DeadLetter> serde;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = AvroSerde.of(DeadLetter.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetterEvent d, KafkaSinkContext context, Long timestamp) {
        if (serde == null) {
            serde = AvroSerde.of(DeadLetter.class);
        }
        DeadLetter avro = DeadLetter.newBuilder()
                .setSourceTopic(d.sourceTopic())
                .setPartition(d.partition())
                .setOffset(d.offset())
                .setRaw(ByteBuffer.wrap(d.raw() == null ? new byte[0] : d.raw()))
                .setReasonCode(DeadLetterReason.valueOf(d.reason()))
                .setMessage(d.message())
                .setTimeMicros(d.timeMicros())
                .build();
        return new ProducerRecord<>(topic, null, null, null, serde.serialize(avro)); // publish time
    }
}
