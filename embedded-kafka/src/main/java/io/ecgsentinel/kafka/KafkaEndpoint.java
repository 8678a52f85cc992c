package io.ecgsentinel.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A running Kafka cluster that a test, the demo or the simulator can talk to: either the in-JVM
 * {@link EmbeddedKafkaBroker} or a Docker-backed {@link ContainerKafka}, chosen by {@link
 * KafkaEndpoints#start()}. Callers only ever see bootstrap servers, topic creation and ready-made
 * client properties, so the same code runs against both without knowing which one it got. Client
 * property helpers return fresh mutable copies that callers may extend.
 */
public interface KafkaEndpoint extends AutoCloseable {

    /** How long topic creation and its metadata wait may take before it fails. */
    Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** The {@code host:port} list that clients pass as {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Which kind of endpoint this is. */
    Kind kind();

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     * Creating a topic that already exists with the same partition count is a no-op; with a
     * different count it fails, because silently keeping the old count hides test bugs.
     */
    default void createTopic(String name, int partitions) {
        createTopics(Map.of(name, partitions));
    }

    /** Creates several topics (name to partition count) at once; see {@link #createTopic}. */
    default void createTopics(Map<String, Integer> partitionsByTopic) {
        if (partitionsByTopic.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminProperties())) {
            TopicAdmin.createAndAwait(admin, partitionsByTopic, ADMIN_TIMEOUT);
        }
    }

    /** Properties for {@link Admin#create(Properties)}. */
    default Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return p;
    }

    /**
     * Properties for an idempotent {@code acks=all} producer with {@code byte[]} serializers (the
     * project's wire format is Avro bytes); serializers passed to the producer constructor win.
     */
    default Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** {@link #producerProperties()} plus a {@code transactional.id}. */
    default Properties transactionalProducerProperties(String transactionalId) {
        Properties p = producerProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return p;
    }

    /**
     * Properties for a consumer in {@code groupId} that reads from the earliest offset, commits
     * manually and uses {@code isolation.level=read_committed} (the project's alert topics are
     * written transactionally), with {@code byte[]} deserializers.
     */
    default Properties consumerProperties(String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Stops the cluster and frees what it held. Idempotent; never throws a checked exception. */
    @Override
    void close();

    /** The two ways this project runs a real broker. */
    enum Kind {
        /** Kafka's own KRaft server inside this JVM; needs nothing but the Maven jars. */
        EMBEDDED,
        /** The {@code apache/kafka} image through Testcontainers; needs a Docker engine. */
        CONTAINER
    }
}
