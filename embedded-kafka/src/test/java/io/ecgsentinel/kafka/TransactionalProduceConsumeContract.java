package io.ecgsentinel.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The transaction and consumer-group behaviour every Kafka endpoint must show; subclasses supply
 * the endpoint (in-JVM broker or container), so the same test body runs against both.
 */
abstract class TransactionalProduceConsumeContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    protected abstract KafkaBrokerExtension kafka();

    @Test
    void readCommittedSeesExactlyTheCommittedRecordsInOrder() throws Exception {
        // One partition, so "in order" is a total order.
        String topic = kafka().createUniqueTopic("tx", 1);
        List<String> first = values("c1", 50);
        List<String> aborted = values("ab", 30);
        List<String> third = values("c3", 20);

        try (KafkaProducer<String, String> producer = transactionalProducer("tx-" + topic)) {
            producer.initTransactions();
            sendInTransaction(producer, topic, first, true);
            sendInTransaction(producer, topic, aborted, false);
            sendInTransaction(producer, topic, third, true);
        }

        List<String> committed = Stream.concat(first.stream(), third.stream()).toList();
        assertThat(readAll(topic, IsolationLevel.READ_COMMITTED)).containsExactlyElementsOf(committed);

        // The control: a read_uncommitted consumer does see the aborted records, so the check above
        // can tell an aborted transaction from a lost one.
        List<String> everything = Stream.of(first, aborted, third).flatMap(List::stream).toList();
        assertThat(readAll(topic, IsolationLevel.READ_UNCOMMITTED)).containsExactlyElementsOf(everything);
    }

    @Test
    void consumerGroupOffsetsAreCommittedAndResumedFrom() throws Exception {
        // Needs __consumer_offsets, which a single broker can only create with replication factor 1.
        String topic = kafka().createUniqueTopic("group", 2);
        String group = "group-" + topic;
        List<String> before = values("before", 40);
        List<String> after = values("after", 10);

        try (KafkaProducer<String, String> producer = transactionalProducer("tx-" + topic)) {
            producer.initTransactions();
            sendInTransaction(producer, topic, before, true);

            try (KafkaConsumer<String, String> consumer = groupConsumer(group)) {
                consumer.subscribe(List.of(topic));
                assertThat(pollUntil(consumer, before.size())).containsExactlyInAnyOrderElementsOf(before);
                // Step past the commit markers too, so the committed offsets are the end offsets.
                awaitPositionsAtEnd(consumer);
                consumer.commitSync();
            }

            try (Admin admin = Admin.create(kafka().adminProperties())) {
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, Long> ends = endOffsets(admin, topic, 2);
                assertThat(offsets).hasSize(2);
                offsets.forEach((tp, om) -> assertThat(om.offset()).as("committed offset of %s", tp)
                        .isEqualTo(ends.get(tp)));
            }

            sendInTransaction(producer, topic, after, true);
        }

        // A new member of the same group resumes from the committed offsets: it sees only the new
        // records, none of the 40 read before (auto.offset.reset=earliest would replay them all).
        try (KafkaConsumer<String, String> consumer = groupConsumer(group)) {
            consumer.subscribe(List.of(topic));
            List<String> seen = pollUntil(consumer, after.size());
            seen.addAll(drain(consumer, Duration.ofMillis(500)));
            assertThat(seen).containsExactlyInAnyOrderElementsOf(after);
        }
    }

    private KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        Properties p = kafka().transactionalProducerProperties(transactionalId);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> groupConsumer(String group) {
        Properties p = kafka().consumerProperties(group);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static void sendInTransaction(
            KafkaProducer<String, String> producer, String topic, List<String> values, boolean commit) {
        producer.beginTransaction();
        for (String v : values) {
            producer.send(new ProducerRecord<>(topic, v, v));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush(); // the aborted records really reach the log before the abort marker
            producer.abortTransaction();
        }
    }

    /**
     * Reads the whole topic with the given isolation level, without a group: up to the end offset
     * that this isolation level sees (the last stable offset for read_committed), so the result is
     * complete and deterministic rather than "whatever arrived within a timeout".
     */
    private List<String> readAll(String topic, IsolationLevel isolation) {
        Properties p = kafka().consumerProperties("unused");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime()).as("read %s up to %s", topic, ends).isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }

    private static List<String> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (values.size() < count) {
            assertThat(System.nanoTime()).as("received %d of %d records", values.size(), count)
                    .isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private static void awaitPositionsAtEnd(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (assigned.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            assertThat(System.nanoTime()).as("positions reach %s", ends).isLessThan(deadline);
            assertThat(consumer.poll(Duration.ofMillis(100))).as("no records beyond the expected ones").isEmpty();
        }
    }

    private static List<String> drain(KafkaConsumer<String, String> consumer, Duration quiet) {
        List<String> values = new ArrayList<>();
        consumer.poll(quiet).forEach(r -> values.add(r.value()));
        return values;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        IntStream.range(0, partitions).forEach(i -> request.put(new TopicPartition(topic, i), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        assertThat(ends.keySet()).isEqualTo(Set.copyOf(request.keySet()));
        return ends;
    }

    private static List<String> values(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
    }
}
