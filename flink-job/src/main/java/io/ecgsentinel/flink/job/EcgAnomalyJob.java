package io.ecgsentinel.flink.job;

import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.io.KafkaIo;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the cluster job: parses {@link JobConfig}, checks the model, builds the Kafka source
 * and sinks, hands them to {@link EcgPipeline} and executes. Checkpointing is on (exactly-once alerts
 * need it); the state backend comes from {@code state.backend} (hashmap or rocksdb).
 */
public final class EcgAnomalyJob {

    private static final Logger LOG = LoggerFactory.getLogger(EcgAnomalyJob.class);

    public static final String JOB_NAME = "ecg-sentinel";

    private EcgAnomalyJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig cfg = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(runtimeConfig(cfg));
        configure(env, cfg);
        ModelInfo model = cfg.modelEnabled() ? ModelInfo.resolve(cfg) : null;
        LOG.info("configuration: {}", cfg.toMap());
        EcgPipeline.build(env, cfg, model, KafkaIo.frameSource(cfg),
                alerts -> alerts.sinkTo(KafkaIo.alertSink(cfg)).uid("alerts-sink").name("alerts to Kafka"),
                dlq -> dlq.sinkTo(KafkaIo.deadLetterSink(cfg)).uid("dead-letter-sink").name("dead letters to Kafka"));
        env.execute(JOB_NAME);
    }

    /** Flink settings derived from the job config (checkpointing, state backend). */
    public static Configuration runtimeConfig(JobConfig cfg) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, cfg.stateBackend());
        if (!cfg.checkpointDir().isBlank()) {
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.checkpointDir());
        }
        return c;
    }

    /** Checkpointing and global parameters (shown in the web UI). */
    public static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
        env.enableCheckpointing(cfg.checkpointIntervalMillis());
        env.getConfig().setGlobalJobParameters(ParameterTool.fromMap(cfg.toMap()));
    }
}
