package io.ecgsentinel.bench;

import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.kafka.EmbeddedKafkaBroker;
import io.ecgsentinel.models.serve.DefaultModel;
import io.ecgsentinel.models.serve.EcgModel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ecg bench}: the whole pipeline on its embedded setup (in-JVM broker, local Flink, the
 * simulator) at growing patient counts, against its own ceilings measured in the same run: the model
 * alone, Kafka alone, decoding and signal processing alone. One table (also CSV, Markdown and a PNG in
 * the results folder); the last line is {@code MAX_REALTIME_PATIENTS=.. P99_MS=.. CEILING_RATIO=..}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the whole pipeline (in-JVM Kafka, the Flink job with the default model, simulated"
                + " 12-lead 500 Hz patients in real time) at growing patient counts, stopping at the first that falls"
                + " behind, against model-only, Kafka-only and decode+preprocess-only ceilings measured in the same run.",
            "Prints one table (also written as CSV, Markdown and PNG to the results folder) and ends with"
                + " 'MAX_REALTIME_PATIENTS=<n> P99_MS=<ms> CEILING_RATIO=<r>'."},
        footer = {"%nExamples:", "  ecg bench", "  ecg bench --patients 100,200 --seconds 20 --warmup 12",
            "JMH microbenchmarks of the hot paths: ecg jmh (see bench/README.md)."})
public final class BenchCommand implements Callable<Integer>, EcgSubcommand {

    @Option(names = "--patients", split = ",", paramLabel = "N[,N...]",
            description = "patient counts, run in increasing order (default: ${DEFAULT-VALUE})",
            defaultValue = "250,500,1000,2000,4000")
    List<Integer> patients;

    @Option(names = "--seconds", paramLabel = "S", description = "measured seconds per step (default: ${DEFAULT-VALUE})",
            defaultValue = "40")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", description = "seconds before the measurement of each step;"
            + " the first windows need ~10 s (default: ${DEFAULT-VALUE})", defaultValue = "15")
    double warmup;

    @Option(names = "--jit-warmup", paramLabel = "S", description = "seconds of an unmeasured run at the first"
            + " step's patient count before the first step, so that the JIT compilers (still recompiling two"
            + " minutes after start-up) share less of the CPU with the first measurement; 0 = none"
            + " (default: ${DEFAULT-VALUE})",
            defaultValue = "120")
    double jitWarmup;

    @Option(names = "--drain", paramLabel = "S", description = "seconds after the measurement for its last results"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "6")
    double drain;

    @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: bench-results/ at the"
            + " repository root)")
    Path out;

    @Option(names = "--seed", description = "seed of the simulated patients (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    long seed;

    @Option(names = "--parallelism", description = "job parallelism and task slots (default: ${DEFAULT-VALUE})",
            defaultValue = "2")
    int parallelism;

    @Option(names = "--partitions", description = "partitions of the frames topic (default: ${DEFAULT-VALUE})",
            defaultValue = "4")
    int partitions;

    @Option(names = "--checkpoint-ms", description = "checkpoint interval: exactly-once results become readable"
            + " at checkpoints (default: ${DEFAULT-VALUE}, as ./ecg demo)", defaultValue = "1000")
    long checkpointMs;

    @Option(names = "--out-of-orderness-ms", description = "watermark out-of-orderness: a window is analysed this"
            + " long after its end (default: ${DEFAULT-VALUE}, the job's default)", defaultValue = "2000")
    long outOfOrdernessMs;

    @Option(names = "--sim-threads", description = "simulator worker threads (default: the simulator's own default)")
    Integer simThreads;

    @Option(names = "--model", description = "model directory (default: the repository's default model;"
            + " 'none' for rule alarms only)")
    String model;

    @Option(names = "--job", paramLabel = "KEY=VALUE", description = "a job setting for every step, as the job"
            + " takes it (e.g. model.max-wait.ms=200, model.batch.size=128); repeatable; the bench's own settings"
            + " (topics, checkpoint interval, out-of-orderness, model) come from its options")
    Map<String, String> job = new LinkedHashMap<>();

    @Option(names = "--ceiling-seconds", description = "seconds per ceiling measurement (default: ${DEFAULT-VALUE})",
            defaultValue = "5")
    double ceilingSeconds;

    @Override
    public int helpOrder() {
        return 90;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        List<Integer> ns = new ArrayList<>(patients);
        ns.sort(null);
        if (ns.isEmpty() || ns.get(0) < 1) {
            throw new IllegalArgumentException("--patients must be positive counts");
        }
        if (!(seconds >= 5) || !(warmup >= 0) || !(drain >= 0) || !(jitWarmup >= 0)) {
            throw new IllegalArgumentException("--seconds must be >= 5, --warmup, --jit-warmup and --drain >= 0");
        }
        Path dir = out != null ? out : DefaultModel.modelsRoot().toAbsolutePath().getParent().resolve("bench-results");
        ModelInfo modelInfo = resolveModel();
        for (String key : job.keySet()) {
            if (PipelineRun.BENCH_OWNED_KEYS.contains(key)) {
                throw new IllegalArgumentException("--job " + key + ": the bench sets this itself"
                        + " (use its own option, see --help)");
            }
        }
        JobConfig defaults = JobConfig.defaultConfig().with(job); // an unknown key or a bad value fails here
        int batch = defaults.modelBatchSize();
        long t0 = System.nanoTime();
        int threads = simThreads != null ? simThreads : io.ecgsentinel.simulator.SimulationRunner.defaultThreads();

        List<String> setup = new ArrayList<>();
        setup.add(String.format(Locale.ROOT, "setup: %d cores, max heap %d MB, Java %s; N x %d-lead %d Hz patients"
                        + " per step ('%s' scenarios, %d ms frames, speed 1), job parallelism %d, %d partitions,"
                        + " checkpoint %d ms, out-of-orderness %d ms, model %s (batch %d, max wait %d ms)",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (1024 * 1024),
                System.getProperty("java.version"), BenchFrames.LEADS, BenchFrames.SAMPLE_RATE,
                BenchFrames.PRESET, BenchFrames.FRAME_MILLIS, parallelism, partitions, checkpointMs, outOfOrdernessMs,
                modelInfo == null ? "none" : modelInfo.name() + " v" + modelInfo.version(), batch,
                defaults.modelMaxWaitMillis()));
        setup.add(String.format(Locale.ROOT, "steps: warm-up %.0f s, measured %.0f s, drain %.0f s; seed %d;"
                + " simulator %d threads; everything in one JVM on a machine that may be shared (noisy figures);"
                + " before the first step an unmeasured %.0f s run at its patient count warms the JIT",
                warmup, seconds, drain, seed, threads, jitWarmup));
        if (!job.isEmpty()) {
            setup.add("job settings: " + job);
        }

        Ceilings.Model m1 = null;
        Ceilings.Model mp = null;
        Ceilings.Dsp dsp = null;
        Ceilings.Kafka kc;
        List<PipelineRun.Result> results = new ArrayList<>();
        o.printf(Locale.ROOT, "bench: ceilings first (%.0f s each), then %s patients%n", ceilingSeconds, ns);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
            if (modelInfo != null) {
                try (EcgModel em = EcgModel.load(Paths.get(modelInfo.directory()))) {
                    m1 = Ceilings.model(em, batch, 1, ceilingSeconds);
                    mp = Ceilings.model(em, batch, parallelism, ceilingSeconds);
                }
                o.printf(Locale.ROOT, "  model-only: %.0f windows/s (1 thread), %.0f (%d threads)%n",
                        m1.windowsPerSecond(), mp.windowsPerSecond(), parallelism);
                dsp = Ceilings.dsp(modelInfo.preprocessing(), seed, ceilingSeconds, defaults.qualityIntervalSeconds());
            } else {
                dsp = Ceilings.dsp(io.ecgsentinel.core.dsp.PreprocessingConfig.defaults(500).toMap(), seed,
                        ceilingSeconds, defaults.qualityIntervalSeconds());
            }
            o.printf(Locale.ROOT, "  decode+preprocess-only: %.0f patients per core%n", dsp.patientsPerCore());
            kc = Ceilings.kafka(kafka, "bench.kafka-only.frames", partitions, seed, ceilingSeconds);
            o.printf(Locale.ROOT, "  Kafka-only: %.0f frames/s produced, %.0f consumed (%d/%d received)%n",
                    kc.producedPerSecond(), kc.consumedPerSecond(), kc.received(), kc.sent());

            PipelineRun.Settings st = new PipelineRun.Settings(parallelism, partitions, checkpointMs, outOfOrdernessMs,
                    20_000, warmup, seconds, drain, seed, modelInfo, threads, job);
            try (BenchCluster cluster = new BenchCluster(parallelism)) {
                PipelineRun run = new PipelineRun(kafka, cluster, st, o);
                if (jitWarmup > 0) {
                    // Same pipeline, same load, nothing kept: C2 compiles Flink's, Kafka's and the job's hot
                    // code during the first minute or so and would otherwise eat CPU in the first step.
                    o.printf(Locale.ROOT, "  JIT warm-up: %d patients for %.0f s (not measured) ...%n", ns.get(0),
                            jitWarmup);
                    PipelineRun.Settings ws = new PipelineRun.Settings(parallelism, partitions, checkpointMs,
                            outOfOrdernessMs, 20_000, jitWarmup, 5, 1, seed + 1, modelInfo, threads, job);
                    new PipelineRun(kafka, cluster, ws, new PrintStream(OutputStream.nullOutputStream()))
                            .run(ns.get(0));
                }
                for (int n : ns) {
                    o.printf(Locale.ROOT, "  %d patients ...%n", n);
                    PipelineRun.Result r = run.run(n);
                    results.add(r);
                    o.printf(Locale.ROOT, "  %d patients: %s frames/s, p99 %s ms, real time: %s, cpu %s cores (%s)%n",
                            n,
                            Report.fmt0(r.framesPerSecond()), Report.fmt0(r.p99Ms()), r.verdict(),
                            Report.fmt2(r.cpuCores()), String.join(", ", ResourceMeter.describeTop(r.cpuGroups(), 4)));
                    if (!r.keptUp()) {
                        break;
                    }
                }
            }
        }
        setup.add(String.format(Locale.ROOT, "total run time %.0f s", (System.nanoTime() - t0) / 1e9));
        Report report = new Report(results, m1, mp, kc, dsp, setup);
        report.print(o);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        report.write(dir, stamp);
        o.println("results: " + dir.resolve("bench.md") + ", bench.csv, bench.png (and bench-" + stamp + ".*)");
        o.println(report.lastLine());
        return 0;
    }

    private ModelInfo resolveModel() {
        if (model != null && model.equalsIgnoreCase("none")) {
            return null;
        }
        return ModelInfo.resolve(JobConfig.fromMap(model == null ? Map.of() : Map.of("model.dir", model)));
    }
}
