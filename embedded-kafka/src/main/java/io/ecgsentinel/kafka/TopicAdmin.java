package io.ecgsentinel.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Admin plumbing behind {@link KafkaEndpoint#createTopics}; not part of the API. */
final class TopicAdmin {
    private TopicAdmin() {}

    static void createAndAwait(Admin admin, Map<String, Integer> partitionsByTopic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                .toList();
        Map<String, Integer> existing = new LinkedHashMap<>();
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    existing.put(name, partitionsByTopic.get(name));
                } else {
                    throw new KafkaEndpointException("Could not create topic " + name, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaEndpointException("Timed out creating topic " + name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaEndpointException("Interrupted creating topic " + name, e);
            }
        });
        awaitLeaders(admin, partitionsByTopic, existing.keySet(), deadline);
    }

    /**
     * The controller acknowledges creation before the broker's metadata cache has the topic, so
     * a producer started right away would first see UNKNOWN_TOPIC_OR_PARTITION; waiting here for
     * a leader on every partition makes "created" mean "usable".
     */
    private static void awaitLeaders(
            Admin admin, Map<String, Integer> expected, Set<String> preExisting, long deadline) {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(expected.keySet())
                        .allTopicNames()
                        .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                boolean ready = true;
                for (Map.Entry<String, Integer> e : expected.entrySet()) {
                    TopicDescription d = descriptions.get(e.getKey());
                    if (preExisting.contains(e.getKey()) && d.partitions().size() != e.getValue()) {
                        throw new KafkaEndpointException("Topic " + e.getKey() + " already exists with "
                                + d.partitions().size() + " partitions, not " + e.getValue());
                    }
                    ready &= d.partitions().size() == e.getValue()
                            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                }
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new KafkaEndpointException("Could not describe topics " + expected.keySet(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaEndpointException("Timed out waiting for leaders of " + expected.keySet(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaEndpointException("Interrupted waiting for topics " + expected.keySet(), e);
            }
            if (remainingMs(deadline) <= 0) {
                throw new KafkaEndpointException("Timed out waiting for leaders of " + expected.keySet());
            }
            sleepQuietly(20);
        }
    }

    static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaEndpointException("Interrupted", e);
        }
    }
}
