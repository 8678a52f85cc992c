package io.ecgsentinel.simulator;

import io.ecgsentinel.schemas.Topics;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where frames and truth go: the Kafka options shared by {@code simulate} and {@code replay}. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers (env ECG_BOOTSTRAP_SERVERS; default localhost:9092, or the "
                    + "--producer-config file's).")
    String bootstrapServers;

    @Option(names = "--producer-config", paramLabel = "FILE",
            description = "Producer properties file (TLS, SASL, tuning); env ECG_PRODUCER_CONFIG. "
                    + "Flags and ECG_BOOTSTRAP_SERVERS override it.")
    Path producerConfig;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "${env:ECG_FRAMES_TOPIC:-" + Topics.FRAMES + "}",
            description = "Frames topic (env ECG_FRAMES_TOPIC; default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--truth-topic", paramLabel = "TOPIC", defaultValue = "${env:ECG_TRUTH_TOPIC:-" + Topics.TRUTH + "}",
            description = "Ground-truth topic (env ECG_TRUTH_TOPIC; default ${DEFAULT-VALUE}).")
    String truthTopic;

    @Option(names = "--embedded-broker",
            description = "Start an in-process Kafka broker (KRaft, no Docker) and publish to it; for demos and "
                    + "measurements. Implies --create-topics.")
    boolean embeddedBroker;

    @Option(names = "--create-topics", description = "Create the topics if they are missing.")
    boolean createTopics;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "Partitions of the frames topic when it is created (default ${DEFAULT-VALUE}).")
    int partitions;
}
