package io.ecgsentinel.flink.io;

import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.flink.records.DeadLetterEvent;
import io.ecgsentinel.flink.records.RawFrame;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the job's Kafka source and sinks from {@link JobConfig}. Alerts are written EXACTLY_ONCE
 * (Kafka transactions committed on checkpoints; {@code transaction.timeout.ms} below the broker's
 * 15 min maximum, or the sink's default of 1 h fails the job), so alert consumers must read with
 * {@code isolation.level=read_committed}. Dead letters too (their own transactional id prefix), so
 * frames in = frames processed + dead letters holds exactly, also across restarts.
 */
public final class KafkaIo {

    private KafkaIo() {}

    public static KafkaSource<RawFrame> frameSource(JobConfig cfg) {
        return frameSource(cfg, false);
    }

    /** @param bounded stop at the offsets that are latest when the job starts (tests, replays) */
    public static KafkaSource<RawFrame> frameSource(JobConfig cfg, boolean bounded) {
        OffsetsInitializer start = switch (cfg.startingOffsets()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        var b = KafkaSource.<RawFrame>builder()
                .setBootstrapServers(cfg.bootstrapServers())
                .setTopics(cfg.framesTopic())
                .setGroupId(cfg.groupId())
                .setStartingOffsets(start)
                .setDeserializer(new RawFrameDeserializer())
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    public static KafkaSink<AlertEvent> alertSink(JobConfig cfg) {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", Long.toString(cfg.transactionTimeoutMillis()));
        return KafkaSink.<AlertEvent>builder()
                .setBootstrapServers(cfg.bootstrapServers())
                .setRecordSerializer(new AlertSerializer(cfg.alertsTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(cfg.transactionalIdPrefix())
                .setKafkaProducerConfig(p)
                .build();
    }

    public static KafkaSink<DeadLetterEvent> deadLetterSink(JobConfig cfg) {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", Long.toString(cfg.transactionTimeoutMillis()));
        return KafkaSink.<DeadLetterEvent>builder()
                .setBootstrapServers(cfg.bootstrapServers())
                .setRecordSerializer(new DeadLetterSerializer(cfg.deadLetterTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(cfg.transactionalIdPrefix() + "-dlq")
                .setKafkaProducerConfig(p)
                .build();
    }
}
