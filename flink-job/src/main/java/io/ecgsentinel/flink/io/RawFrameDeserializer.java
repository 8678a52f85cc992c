package io.ecgsentinel.flink.io;

import io.ecgsentinel.flink.records.RawFrame;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.DecodeException;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps each Kafka record as bytes plus coordinates; validation and dead-lettering are the pipeline's
 * first operator. It also reads the frame's sample clock (a cheap decode; bad bytes get no event
 * time) so that watermarks are generated per Kafka partition in the source: partitions read at
 * different speeds then cannot push event time past each other's patients.
 */
public class RawFrameDeserializer implements KafkaRecordDeserializationSchema<RawFrame> {

    private static final long serialVersionUID = 1L;

    private transient AvroSerde<EcgFrame> serde;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawFrame> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        if (serde == null) {
            serde = AvroSerde.of(EcgFrame.class);
        }
        long eventTime = Long.MIN_VALUE;
        try {
            EcgFrame f = serde.deserialize(value);
            if (f.getSampleRateHz() > 0 && f.getSamplesPerLead() >= 0) {
                eventTime = Math.floorDiv(EcgFrames.endTimeMicros(f), 1000);
            }
        } catch (DecodeException e) {
            // dead-lettered with its reason by DecodeAndValidate; no event time from bad bytes
        }
        out.collect(new RawFrame(record.topic(), record.partition(), record.offset(), record.timestamp(), value,
                eventTime));
    }

    @Override
    public TypeInformation<RawFrame> getProducedType() {
        return TypeInformation.of(RawFrame.class);
    }
}
