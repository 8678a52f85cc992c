package io.ecgsentinel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.kafka.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench machinery on a tiny load: the Kafka-only ceiling, one pipeline step with a few patients
 * and the default model, and the report files. Checks that the figures are sane, never how fast.
 */
class BenchSmokeTest {

    @Test
    @Timeout(180)
    void measuresATinyPipelineAndItsKafkaCeiling(@TempDir Path dir) throws Exception {
        ModelInfo model = ModelInfo.resolve(JobConfig.fromMap(Map.of()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
            Ceilings.Kafka k = Ceilings.kafka(kafka, "smoke.kafka-only", 2, 1, 1.0);
            assertThat(k.sent()).isPositive();
            assertThat(k.received()).isEqualTo(k.sent());
            assertThat(k.frameBytes()).isGreaterThan(2 * BenchFrames.LEADS * BenchFrames.FRAME_SAMPLES);
            assertThat(k.cpuMsPerFrame()).isPositive().isFinite();

            PipelineRun.Settings s = new PipelineRun.Settings(2, 2, 500, 500, 20_000, 10, 4, 2, 7, model, 1,
                    java.util.Map.of());
            PipelineRun.Result r;
            try (BenchCluster cluster = new BenchCluster(2)) {
                PipelineRun run = new PipelineRun(kafka, cluster, s, new PrintStream(log, true, StandardCharsets.UTF_8));
                // two steps on one cluster, as the bench runs its JIT warm-up and steps: the second
                // job gets the slots once the first is gone
                assertThat(run.run(2).framesPerSecond()).isPositive();
                r = run.run(4);
            }
            assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("job cancel");

            assertThat(r.patients()).isEqualTo(4);
            assertThat(r.framesSentPerSecond()).isPositive();
            assertThat(r.framesPerSecond()).isPositive();
            assertThat(r.samplesPerSecond()).isEqualTo(r.framesPerSecond() * BenchFrames.FRAME_SAMPLES * BenchFrames.LEADS);
            assertThat(r.windowsReceived()).isPositive();
            assertThat(r.latencies()).isPositive();
            assertThat(r.p50Ms()).isPositive();
            assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p95Ms()).isGreaterThanOrEqualTo(r.p50Ms());
            assertThat(r.cpuCores()).isPositive();
            assertThat(r.heapUsedMax()).isPositive();
            assertThat(r.cpuGroups()).containsKey("total");
            assertThat(r.checkpointMs()).isGreaterThanOrEqualTo(0.0);

            Report report = new Report(List.of(r), null, null, k, null, List.of("smoke"));
            report.write(dir, "smoke");
            List<String> csv = Files.readAllLines(dir.resolve("bench.csv"));
            assertThat(csv).hasSize(2);
            assertThat(csv.get(0)).startsWith("patients,frames/s,samples/s,realtime");
            assertThat(csv.get(1)).startsWith("4,");
            assertThat(Files.size(dir.resolve("bench.png"))).isPositive();
            assertThat(Files.readString(dir.resolve("bench.md"))).contains("| patients |");
            assertThat(report.lastLine()).matches("MAX_REALTIME_PATIENTS=\\d+ P99_MS=(\\d+|NaN) CEILING_RATIO=\\d+\\.\\d+");
        }
    }

    @Test
    @Timeout(60)
    void theDecodePreprocessCeilingRuns() {
        // a quarter of a second per part: only that every part runs (the quality part with the
        // analyzer's memos and band-power streams) and yields a rate, not how fast
        Ceilings.Dsp d = Ceilings.dsp(io.ecgsentinel.core.dsp.PreprocessingConfig.defaults(500).toMap(), 1, 1.0,
                JobConfig.defaultConfig().qualityIntervalSeconds());
        assertThat(d.decodeFramesPerSecond()).isPositive();
        assertThat(d.preprocessPatientSecondsPerSecond()).isPositive();
        assertThat(d.qrsPatientSecondsPerSecond()).isPositive();
        assertThat(d.qualityWindowsPerSecond()).isPositive();
        assertThat(d.patientsPerCore()).isPositive();
    }

    @Test
    void theCpuBudgetAddsUpTheCeilingsPerPatientSecond() {
        // 1,000 patients per core of signal processing = 1 ms; 2 windows per patient-second x 0.5 ms = 1 ms;
        // 10 frames x 0.02 ms = 0.2 ms; 2.2 ms per patient-second fit 909 patients on 2 cores
        Ceilings.Dsp dsp = new Ceilings.Dsp(1e5, 5000, 5000, 1000, 2, 1000);
        Ceilings.Model model = new Ceilings.Model(128, 2, 4000, 64, 0.5);
        Ceilings.Kafka kafka = new Ceilings.Kafka(100, 100, 1e5, 1e5, 1300, 0.02);
        PipelineRun.Result step = new PipelineRun.Result(400, 4000, 4000, 2.4e6, true, "kept up", 1, 0, 500, 900, 1000,
                1000, 1000, 1000, 800, 1.6, Map.of("total", 1.6), 1, 1, 1, 1, 1, 500, 1, 0);
        Report.Budget b = Report.Budget.of(dsp, model, kafka, step, 10, 2);
        assertThat(b.dspMs()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.windowsPerPatientSecond()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.modelMs()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.kafkaMs()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.totalMs()).isCloseTo(2.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.patientsBound()).isCloseTo(909.09, org.assertj.core.data.Offset.offset(0.01));
        assertThat(b.pipelineMs()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9)); // 1.6 cores / 400
        assertThat(b.line()).contains("= 2.200 ms", "at most 909 patients on 2 cores", "at 400 patients",
                "took 4.000 ms per patient-second");

        Report withBudget = new Report(List.of(step), model, model, kafka, dsp, List.of());
        assertThat(withBudget.ceilingLines()).anyMatch(l -> l.startsWith("CPU per patient-second from the ceilings"));
        PipelineRun.Result behind = new PipelineRun.Result(400, 4000, 4000, 2.4e6, false, "behind", 30, 1, 500, 900,
                1000, 1000, 1000, 1000, 800, 1.6, Map.of("total", 1.6), 1, 1, 1, 1, 1, 500, 1, 0);
        assertThat(new Report(List.of(behind), model, model, kafka, dsp, List.of()).budget())
                .as("no real-time step: no window rate to budget with").isNull();
    }

    @Test
    void sendClockFindsTheFrameHoldingAWindowsLastSample() {
        SendClock c = new SendClock(new NoPublisher(), List.of("p"));
        for (io.ecgsentinel.schemas.avro.EcgFrame f : BenchFrames.frames(1, 0, 20, 0)) {
            c.publishFrame("p", f, new byte[0]);
        }
        // frame k (0-based) ends at (k + 1) * 100 ms; a window ending at 250 ms has its last sample in frame 2
        long sent = c.sentMillis("p", 250_000);
        assertThat(sent).isPositive();
        assertThat(c.sentMillis("p", 10_000_000)).isEqualTo(Long.MIN_VALUE);
        assertThat(c.sentMillis("other", 250_000)).isEqualTo(Long.MIN_VALUE);
    }

    private static final class NoPublisher implements io.ecgsentinel.simulator.FramePublisher {
        @Override
        public void publishFrame(String patientId, io.ecgsentinel.schemas.avro.EcgFrame frame, byte[] encoded) {}

        @Override
        public void publishTruth(io.ecgsentinel.schemas.avro.GroundTruthEvent event) {}

        @Override
        public void flush() {}

        @Override
        public void close(java.time.Duration timeout) {}
    }
}
