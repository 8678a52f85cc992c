package io.ecgsentinel.flink.demo;

import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.DecodeException;
import io.ecgsentinel.schemas.avro.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic of Avro records with {@code read_committed} (what alert consumers must use). */
public final class AlertReader {

    private AlertReader() {}

    /** All committed alerts currently in {@code topic}. */
    public static List<Alert> readAll(String bootstrap, String topic) throws DecodeException {
        AvroSerde<Alert> serde = AvroSerde.of(Alert.class);
        List<Alert> out = new ArrayList<>();
        for (byte[] v : readValues(bootstrap, topic)) {
            out.add(serde.deserialize(v));
        }
        return out;
    }

    /** All committed values of {@code topic}, partition by partition. */
    public static List<byte[]> readValues(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
