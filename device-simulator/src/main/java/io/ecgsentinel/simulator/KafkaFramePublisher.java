package io.ecgsentinel.simulator;

import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes frames to the frames topic and truth to the truth topic with one idempotent producer
 * (settings from {@link ProducerSettings}), keyed by patient so each patient's frames stay in
 * order on one partition. Every send has a callback that counts the acknowledgement or the
 * failure; a send that throws synchronously counts as a failure too, so nothing is lost silently.
 * The record timestamp is left to the producer (create time = wall clock at send), which is what
 * pacing is measured against.
 */
public final class KafkaFramePublisher implements FramePublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final String framesTopic;
    private final String truthTopic;
    private final SimStats stats;
    private final AvroSerde<GroundTruthEvent> truthSerde = AvroSerde.of(GroundTruthEvent.class);
    private final Callback frameCallback;
    private final Callback truthCallback;

    public KafkaFramePublisher(Properties producerProps, String framesTopic, String truthTopic, SimStats stats) {
        Properties p = new Properties();
        p.putAll(producerProps);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.framesTopic = framesTopic;
        this.truthTopic = truthTopic;
        this.stats = stats;
        // Fetch the topics' metadata now, before the clock starts: the first send would otherwise
        // block for it and make the first frames of the run late.
        for (String t : new java.util.TreeSet<>(java.util.List.of(framesTopic, truthTopic))) {
            try {
                producer.partitionsFor(t);
            } catch (RuntimeException e) {
                stats.recordError("no metadata for topic " + t, e);
            }
        }
        this.frameCallback = (md, e) -> {
            if (e == null) {
                stats.framesAcked.increment();
            } else {
                stats.framesFailed.increment();
                stats.recordError("frame send failed", e);
            }
        };
        this.truthCallback = (md, e) -> {
            if (e == null) {
                stats.truthAcked.increment();
            } else {
                stats.truthFailed.increment();
                stats.recordError("truth send failed", e);
            }
        };
    }

    @Override
    public void publishFrame(String patientId, EcgFrame frame, byte[] encoded) {
        stats.framesSent.increment();
        stats.bytesSent.add(encoded.length);
        try {
            producer.send(new ProducerRecord<>(framesTopic, patientId, encoded), frameCallback);
        } catch (RuntimeException e) {
            stats.framesFailed.increment();
            stats.recordError("frame send rejected", e);
        }
    }

    @Override
    public void publishTruth(GroundTruthEvent event) {
        stats.truthSent.increment();
        try {
            producer.send(new ProducerRecord<>(truthTopic, event.getPatientId(), truthSerde.serialize(event)),
                    truthCallback);
        } catch (RuntimeException e) {
            stats.truthFailed.increment();
            stats.recordError("truth send rejected", e);
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close(Duration timeout) {
        producer.close(timeout);
    }
}
