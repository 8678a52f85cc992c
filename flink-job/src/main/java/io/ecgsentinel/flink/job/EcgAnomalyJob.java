package io.ecgsentinel.flink.job;

import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.io.KafkaIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
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
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, cfg);
        ModelInfo model = cfg.modelEnabled() ? ModelInfo.resolve(cfg) : null;
        LOG.info("configuration: {}", cfg.toMap());
        EcgPipeline.build(env, cfg, model, KafkaIo.frameSource(cfg),
                alerts -> alerts.sinkTo(KafkaIo.alertSink(cfg)).uid("alerts-sink").name("alerts to Kafka"),
                dlq -> dlq.sinkTo(KafkaIo.deadLetterSink(cfg)).uid("dead-letter-sink").name("dead letters to Kafka"));
        env.execute(JOB_NAME);
    }

    /**
     * Flink settings derived from the job config (checkpointing, state backend). With {@code
     * checkpoint.dir} (or {@code localFallback}) checkpoints go to file storage there: the job
     * manager's in-memory storage caps a task's state at 5 MB, which a few dozen patients' sample
     * buffers exceed (measured: the MIT-BIH replay failed every checkpoint and restarted in a loop).
     * Without either, the cluster's own checkpoint storage settings apply.
     */
    static Configuration runtimeConfig(JobConfig cfg, String localFallback) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, cfg.stateBackend());
        if ("rocksdb".equals(cfg.stateBackend())) {
            // A checkpoint then uploads only the SST files written since the last one, instead of
            // every patient's whole state every second.
            c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        // Chained operators hand records on by reference instead of deep-copying them through their
        // serializers. Without it the 12 x 5,000-sample window of every patient-second was copied
        // into the analyzer, and the scored windows twice more: in a JFR allocation profile of
        // ./ecg bench at 500 patients, half of all bytes allocated were FloatPrimitiveArraySerializer
        // copies. Safe because no function of this job changes a record it received or emitted, and
        // ModelScorer, the one that holds records across calls, gets a new object for each.
        c.set(PipelineOptions.OBJECT_REUSE, true);
        String dir = cfg.checkpointDir().isBlank() ? localFallback : cfg.checkpointDir();
        if (dir != null) {
            c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        }
        return c;
    }

    /**
     * A fresh local temporary checkpoint directory, removed when the JVM ends: for jobs that run in
     * this JVM (demo, bench, tests). A cluster job must not use it: its task managers would write
     * to their own local disks, out of the job manager's reach on recovery.
     */
    static String temporaryCheckpointDirectory() {
        try {
            Path dir = Files.createTempDirectory("ecg-sentinel-checkpoints-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "checkpoint-dir-cleanup"));
            return dir.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a local checkpoint directory (set checkpoint.dir)", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove the temporary checkpoint directory " + dir + ": " + e);
        }
    }

    /**
     * Checkpointing, state backend and checkpoint storage ({@code checkpoint.dir}, else the cluster's
     * settings), and global parameters (shown in the web UI). For the cluster entry point.
     */
    public static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
        configure(env, cfg, null);
    }

    /**
     * As {@link #configure}, for a job on a local cluster in this JVM (demo, bench, tests): without
     * {@code checkpoint.dir}, checkpoints go to a temporary directory removed at JVM exit.
     */
    public static void configureLocal(StreamExecutionEnvironment env, JobConfig cfg) {
        configure(env, cfg, cfg.checkpointDir().isBlank() ? temporaryCheckpointDirectory() : null);
    }

    private static void configure(StreamExecutionEnvironment env, JobConfig cfg, String localFallback) {
        env.configure(runtimeConfig(cfg, localFallback), EcgAnomalyJob.class.getClassLoader());
        env.enableCheckpointing(cfg.checkpointIntervalMillis());
        env.getConfig().setGlobalJobParameters(ParameterTool.fromMap(cfg.toMap()));
    }
}
