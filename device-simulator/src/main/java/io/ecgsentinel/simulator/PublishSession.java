package io.ecgsentinel.simulator;

import io.ecgsentinel.kafka.EmbeddedKafkaBroker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The part of {@code simulate} and {@code replay} that publishes: resolves producer settings,
 * optionally starts an in-process broker and creates topics, runs the {@link SimulationRunner}
 * with a Ctrl-C hook that stops it and flushes, and prints the final report with the measured
 * throughput and pacing lag.
 */
final class PublishSession {

    private static final Logger LOG = LoggerFactory.getLogger(PublishSession.class);

    private PublishSession() {}

    static int run(CommandLine.Model.CommandSpec spec, String what, List<PatientStream> patients,
            KafkaOptions kafka, PacingOptions pacing, double durationSeconds) throws Exception {
        PrintStream out = System.out;
        SimulationRunner.Config cfg;
        try {
            cfg = new SimulationRunner.Config(pacing.speed, pacing.frameMillis, durationSeconds,
                    System.currentTimeMillis() * 1000,
                    pacing.threads == null ? SimulationRunner.defaultThreads() : pacing.threads,
                    pacing.faults(), pacing.progressSeconds, System.err);
            if (kafka.partitions < 1) {
                throw new IllegalArgumentException("--partitions must be >= 1, got " + kafka.partitions);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Properties props;
        try {
            props = ProducerSettings.resolve(kafka.bootstrapServers, kafka.producerConfig, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        EmbeddedKafkaBroker broker = null;
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(kafka.topic, kafka.partitions);
        topics.put(kafka.truthTopic, 1);
        if (kafka.embeddedBroker) {
            broker = EmbeddedKafkaBroker.builder().start();
            props.put("bootstrap.servers", broker.bootstrapServers());
            broker.createTopics(topics);
            System.err.println("embedded Kafka broker at " + broker.bootstrapServers() + ", topics " + topics.keySet());
        } else if (kafka.createTopics) {
            TopicSetup.ensure(props, topics, (short) 1);
        }
        for (String w : ProducerSettings.warnings(props)) {
            LOG.warn("producer setting: {}", w);
        }
        LOG.info("producer settings: {}", ProducerSettings.describe(props));

        SimStats stats = new SimStats();
        CountDownLatch completed = new CountDownLatch(1);
        SimulationRunner runner;
        Thread hook;
        try (KafkaFramePublisher publisher = new KafkaFramePublisher(props, kafka.topic, kafka.truthTopic, stats)) {
            runner = new SimulationRunner(patients, publisher, cfg, stats);
            SimulationRunner r = runner;
            hook = new Thread(() -> {
                System.err.println("stopping: flushing frames in flight...");
                r.stop();
                try {
                    completed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sim-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            try {
                runner.run();
                publisher.close(Duration.ofSeconds(30));
            } finally {
                double wall = (System.nanoTime() - t0) / 1e9;
                report(out, what, patients.size(), cfg, stats, wall, (processCpuNanos() - cpu0) / 1e9,
                        kafka.embeddedBroker);
                completed.countDown();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running (Ctrl-C): it waits for `completed`, which is already counted down
        }
        if (stats.failures() > 0) {
            System.err.println("FAILED sends: " + stats.failures());
            stats.firstErrors().forEach(e -> System.err.println("  " + e));
            return 1;
        }
        return 0;
    }

    /** CPU time of the whole process (all threads, the embedded broker's too), or 0 if unknown. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.max(0, sun.getProcessCpuTime());
        }
        return 0;
    }

    static void report(PrintStream out, String what, int patients, SimulationRunner.Config cfg, SimStats s,
            double wallSeconds, double processCpuSeconds, boolean embeddedBroker) {
        long frames = s.framesSent.sum();
        double periodMs = cfg.frameMillis() / cfg.speed();
        double p99 = s.lagQuantileMillis(0.99);
        boolean kept = p99 <= Math.max(periodMs, 20);
        out.println(String.format(Locale.ROOT, "%s: %d patients, %.1f s wall, speed %.3gx (%.1f s of event time)",
                what, patients, wallSeconds, cfg.speed(), wallSeconds * cfg.speed()));
        out.println(String.format(Locale.ROOT,
                "  frames: generated %d, sent %d, acked %d, failed %d | %.0f frames/s, %.2f M samples/s, %.1f MB/s",
                s.framesGenerated.sum(), frames, s.framesAcked.sum(), s.framesFailed.sum(), frames / wallSeconds,
                s.samplesGenerated.sum() / wallSeconds / 1e6, s.bytesSent.sum() / wallSeconds / 1e6));
        out.println(String.format(Locale.ROOT, "  truth: sent %d, acked %d, failed %d",
                s.truthSent.sum(), s.truthAcked.sum(), s.truthFailed.sum()));
        if (cfg.faults().any()) {
            out.println(String.format(Locale.ROOT, "  injected faults: dropped %d, duplicated %d, reordered %d, jittered %d",
                    s.dropped.sum(), s.duplicated.sum(), s.reordered.sum(), s.jittered.sum()));
        }
        double eventSeconds = s.framesGenerated.sum() * cfg.frameMillis() / 1000.0 / Math.max(1, patients);
        out.println(String.format(Locale.ROOT,
                "  CPU: generator threads %.1f s (%.0f frames per CPU-second), whole process%s %.1f s: %.2f cores "
                        + "needed to keep pace with %d patients",
                s.workerCpuNanos.sum() / 1e9, s.framesPerCpuSecond(),
                embeddedBroker ? " incl. embedded broker" : "", processCpuSeconds,
                eventSeconds > 0 ? processCpuSeconds / (eventSeconds / cfg.speed()) : 0, patients));
        out.println(String.format(Locale.ROOT,
                "  pacing lag: p50 %.1f ms, p99 %.1f ms, max %.1f ms -> %s (frame period %.1f ms wall)",
                s.lagQuantileMillis(0.5), p99, s.maxLagMillis(),
                kept ? "kept real time" : "FELL BEHIND", periodMs));
    }
}
