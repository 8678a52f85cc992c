package io.ecgsentinel.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the simulator's topics when they are missing (with {@code --create-topics}). */
final class TopicSetup {

    private TopicSetup() {}

    static void ensure(Properties clientProps, Map<String, Integer> partitionsByTopic, short replication) {
        Properties p = new Properties();
        clientProps.forEach((k, v) -> {
            String key = k.toString();
            // admin accepts the connection settings (bootstrap, security, TLS, SASL) only
            if (key.startsWith("bootstrap") || key.startsWith("security") || key.startsWith("ssl")
                    || key.startsWith("sasl") || key.startsWith("client.dns")) {
                p.put(key, v);
            }
        });
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            partitionsByTopic.forEach((t, n) -> topics.add(new NewTopic(t, n, replication)));
            admin.createTopics(topics).values().forEach((name, f) -> {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("timed out creating topic " + name);
                }
            });
        }
    }
}
