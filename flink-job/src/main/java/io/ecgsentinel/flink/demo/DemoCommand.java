package io.ecgsentinel.flink.demo;

import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.core.synth.Durations;
import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.Scenarios;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationWriter;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.io.KafkaIo;
import io.ecgsentinel.flink.job.EcgAnomalyJob;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.kafka.EmbeddedKafkaBroker;
import io.ecgsentinel.models.serve.DefaultModel;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.DecodeException;
import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.AlertState;
import io.ecgsentinel.simulator.Faults;
import io.ecgsentinel.simulator.KafkaFramePublisher;
import io.ecgsentinel.simulator.PatientStream;
import io.ecgsentinel.simulator.ProducerSettings;
import io.ecgsentinel.simulator.RecordReplayPatient;
import io.ecgsentinel.simulator.ReplayRecord;
import io.ecgsentinel.simulator.SimStats;
import io.ecgsentinel.simulator.SimulationRunner;
import io.ecgsentinel.simulator.SyntheticPatient;
import io.ecgsentinel.simulator.TruthBeats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ecg demo}: the whole system in one JVM. An in-JVM Kafka broker, the Flink job on a local
 * cluster with its web UI, and a ward of simulated patients (a few with scheduled VT, asystole, AF,
 * PVCs, lead-off, bradycardia; most normal) or archived records ({@code --replay DIR}) published in
 * real time times {@code --speed}. The ward is the device simulator's: its {@link SyntheticPatient}s
 * and {@link RecordReplayPatient}s played by its {@link SimulationRunner} through its Kafka publisher,
 * frames to {@code ecg.frames.v1} and ground truth to {@code ecg.truth.v1}. Alerts are printed live as
 * they are committed; at the end they are scored against that ground truth (the scheduled events of
 * the synthetic patients, the rhythm annotations of the records), ending with the {@code ALARMS ...}
 * line. Ctrl-C stops cleanly.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on its embedded default: in-JVM Kafka, the Flink job on a local"
                + " cluster (web UI), simulated patients or replayed records, live alerts, and a score against"
                + " the ground truth ending with 'ALARMS TP=.. FP=.. FN=.. MEDIAN_DELAY_S=.. MAX_DELAY_S=..'."})
public final class DemoCommand implements Callable<Integer>, EcgSubcommand {

    /** Presets of the event patients, in the order they are assigned. */
    static final List<String> EVENT_PRESETS = List.of("vt", "asystole", "afib", "pvc", "lead-off", "brady", "vt");

    /** Sample rate of the simulated bedside devices (Hz). */
    static final int SYNTHETIC_FS = 250;
    /** Event time per frame (a fifth of a second: 50 samples at 250 Hz, 72 at MIT-BIH's 360 Hz). */
    static final int FRAME_MS = 200;
    static final String FRAMES_TOPIC = "ecg.frames.v1";
    static final String TRUTH_TOPIC = "ecg.truth.v1";

    @Option(names = "--patients", description = "simulated patients (default: ${DEFAULT-VALUE})", defaultValue = "12")
    int patients;

    @Option(names = "--duration", description = "simulated time per patient, e.g. 60s, 5m (default: ${DEFAULT-VALUE};"
            + " with --replay: whole records)", defaultValue = "90s")
    String duration;

    @Option(names = "--speed", description = "event time per wall-clock time (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    double speed;

    @Option(names = "--replay", description = "replay the WFDB records of this directory instead of simulating")
    Path replay;

    @Option(names = "--records", split = ",", description = "with --replay: only these records")
    List<String> records;

    @Option(names = "--out", description = "with --replay: write <record>.alarm WFDB annotation files here")
    Path out;

    @Option(names = "--seed", description = "seed of the simulated ward (default: ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--model", description = "model directory (default: the repository's default model if present;"
            + " 'none' for rule alarms only)")
    String model;

    @Option(names = "--web-port", description = "Flink web UI port (default: ${DEFAULT-VALUE})", defaultValue = "8081")
    int webPort;

    @Option(names = "--parallelism", description = "job parallelism (default: ${DEFAULT-VALUE})", defaultValue = "2")
    int parallelism;

    @Override
    public int helpOrder() {
        return 5;
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Alert> raised = Collections.synchronizedList(new ArrayList<>());
    private final List<Alert> all = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        double seconds = replay != null && !duration.equals("90s") ? Durations.parseSeconds(duration)
                : replay != null ? 0 : Durations.parseSeconds(duration);
        if (!(speed > 0)) {
            throw new IllegalArgumentException("--speed must be > 0");
        }
        long t0 = System.currentTimeMillis() / 1000 * 1_000_000L;
        List<PatientStream> ward = new ArrayList<>();
        Map<String, Double> recordFs = new LinkedHashMap<>();
        if (replay != null) {
            for (Path hea : recordHeaders(replay)) {
                String name = hea.getFileName().toString().replaceFirst("\\.hea$", "");
                if (records != null && !records.contains(name)) {
                    continue;
                }
                // all beats as truth: the scorer counts them (rates, V beats of a VT run)
                ReplayRecord rec = ReplayRecord.load(hea, TruthBeats.ALL);
                ward.add(new RecordReplayPatient(rec, name, "replay-" + name, false, 0));
                recordFs.put(name, (double) rec.sampleRateHz());
            }
            if (ward.isEmpty()) {
                throw new IllegalArgumentException("no WFDB records (*.hea) in " + replay);
            }
        } else {
            if (patients < 1) {
                throw new IllegalArgumentException("--patients must be at least 1");
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--duration must be positive");
            }
            for (int i = 0; i < patients; i++) {
                String preset = i < EVENT_PRESETS.size() && i < Math.max(1, patients / 3 + 1) ? EVENT_PRESETS.get(i)
                        : "normal";
                Scenario sc = Scenarios.preset(preset, seconds, seed * 1000 + i);
                String id = String.format(Locale.ROOT, "bed-%02d", i + 1);
                ward.add(syntheticPatient(id, "monitor-" + (i + 1), seed * 1000 + i, sc));
                o.printf(Locale.ROOT, "  %s  %-9s %s%n", id, preset, sc.toText().strip().replace('\n', ';'));
            }
        }
        // replayed records run to their end unless --duration was given
        SimulationRunner.Config runCfg = new SimulationRunner.Config(speed, FRAME_MS,
                replay != null && seconds <= 0 ? 0 : seconds, t0, SimulationRunner.defaultThreads(), Faults.NONE, 0,
                null);
        AtomicReference<SimulationRunner> runner = new AtomicReference<>();
        RecordingPublisher recorded = null;

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
            String frames = FRAMES_TOPIC;
            kafka.createTopic(frames, 4);
            kafka.createTopic("ecg.alerts.v1", 4);
            kafka.createTopic("ecg.deadletter.v1", 1);
            kafka.createTopic(TRUTH_TOPIC, 1);
            Map<String, String> settings = new HashMap<>();
            settings.put("bootstrap.servers", kafka.bootstrapServers());
            settings.put("group.id", "ecg-demo");
            settings.put("starting.offsets", "earliest");
            settings.put("checkpoint.interval.ms", "1000");
            // every partition of the demo carries frames all the time: idleness only has to cover the end of
            // the run, and a short one on this busy machine lets the watermark overtake a slow partition
            settings.put("idleness.ms", "20000");
            settings.put("out-of-orderness.ms", "2000");
            ModelInfo modelInfo = resolveModel(o);
            settings.put("model.enabled", Boolean.toString(modelInfo != null));
            if (modelInfo != null) {
                settings.put("model.dir", modelInfo.directory());
            }
            JobConfig cfg = JobConfig.fromMap(settings);

            Configuration conf = new Configuration();
            conf.set(RestOptions.PORT, webPort);
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(parallelism);
            EcgAnomalyJob.configureLocal(env, cfg);
            EcgPipeline.build(env, cfg, modelInfo, KafkaIo.frameSource(cfg),
                    a -> a.sinkTo(KafkaIo.alertSink(cfg)).uid("alerts-sink").name("alerts to Kafka"),
                    d -> d.sinkTo(KafkaIo.deadLetterSink(cfg)).uid("dead-letter-sink").name("dead letters to Kafka"));
            JobClient job = env.executeAsync("ecg-sentinel demo");
            o.printf(Locale.ROOT, "Kafka (in-JVM): %s   Flink web UI: http://127.0.0.1:%d   job %s%n",
                    kafka.bootstrapServers(), webPort, job.getJobID());
            o.printf(Locale.ROOT, "%d %s at %.0fx real time; alerts as they are committed (Ctrl-C stops):%n",
                    ward.size(), replay != null ? "records" : "patients", speed);
            o.printf(Locale.ROOT, "%-9s %-10s %-26s %-6s %-8s %5s  %s%n", "time", "patient", "alert", "prio", "state",
                    "HR", "why");

            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                running.set(false);
                SimulationRunner r = runner.get();
                if (r != null) {
                    r.stop();
                }
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            AtomicBoolean consuming = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> consume(kafka.bootstrapServers(), "ecg.alerts.v1", t0, consuming, o),
                    "alert-printer");
            consumer.start();
            long sent = 0;
            SimStats stats = new SimStats();
            Properties producerProps = ProducerSettings.resolve(kafka.bootstrapServers(), null, Map.of());
            producerProps.put("client.id", "ecg-demo-ward");
            try {
                // start the ward once the job runs, so it reads live frames rather than a backlog
                long until = System.currentTimeMillis() + 120_000;
                while (running.get() && job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING
                        && System.currentTimeMillis() < until) {
                    Thread.sleep(200);
                }
                Thread.sleep(2000);
                try (RecordingPublisher publisher = new RecordingPublisher(
                        new KafkaFramePublisher(producerProps, frames, TRUTH_TOPIC, stats), true)) {
                    recorded = publisher;
                    SimulationRunner r = new SimulationRunner(ward, publisher, runCfg, stats);
                    runner.set(r);
                    if (running.get()) {
                        r.run();
                    }
                }
                sent = stats.framesSent.sum();
                if (stats.failures() > 0) {
                    throw new IllegalStateException("sending frames failed (" + stats.failures() + "): "
                            + stats.firstErrors());
                }
                if (running.get()) {
                    waitForJob(kafka.bootstrapServers(), frames, cfg, running);
                }
            } finally {
                try {
                    consuming.set(false);
                    consumer.join(10_000);
                    job.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    if (running.get()) {
                        deadLetterSummary(kafka.bootstrapServers(), sent, o);
                    }
                } finally {
                    done.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the JVM is already exiting (Ctrl-C): the hook runs and has been released
                    }
                }
            }
        }
        if (!running.get()) {
            o.println("stopped (Ctrl-C): the run is incomplete, so it is not scored");
            return 130;
        }

        o.println();
        List<AlarmScorer.Truth> truth = replay != null
                ? GroundTruth.replayed(recorded.truth(), t0, recorded.endMicros())
                : GroundTruth.synthetic(recorded.truth(), t0);
        List<AlarmScorer.Raised> alarms = new ArrayList<>();
        Map<String, Double> clearedAt = new HashMap<>();
        synchronized (all) {
            for (Alert a : all) {
                if (a.getState() == AlertState.CLEARED) {
                    clearedAt.put(a.getId(), (a.getExplanation().getSpanEndMicros() - t0) / 1e6);
                }
            }
        }
        synchronized (raised) {
            for (Alert a : raised) {
                alarms.add(new AlarmScorer.Raised(a.getPatientId(), a.getType().name(),
                        (a.getExplanation().getSpanEndMicros() - t0) / 1e6, (a.getOnsetTimeMicros() - t0) / 1e6,
                        clearedAt.getOrDefault(a.getId(), Double.POSITIVE_INFINITY)));
            }
        }
        if (out != null && replay != null) {
            Map<String, RecordInfo> recordInfo = new LinkedHashMap<>();
            Map<String, Long> ends = recorded.endMicros();
            for (var e : recordFs.entrySet()) {
                long start = recorded.startMicros(e.getKey()).orElse(t0);
                long end = ends.getOrDefault(e.getKey(), start);
                recordInfo.put(e.getKey(), new RecordInfo(e.getValue(), start,
                        Math.max(1, Math.round((end - start) / 1e6 * e.getValue()))));
            }
            writeAnnotations(out, recordInfo);
        }
        AlarmScorer score = new AlarmScorer(truth, alarms);
        for (String d : score.details()) {
            o.println("  " + d);
        }
        o.print(score.table());
        o.println();
        return 0;
    }

    private ModelInfo resolveModel(PrintStream o) {
        if (model != null && model.equalsIgnoreCase("none")) {
            o.println("model: none (rule alarms only)");
            return null;
        }
        if (model == null && DefaultModel.latestVersion(DefaultModel.modelsRoot().resolve(DefaultModel.NAME)).isEmpty()) {
            o.println("model: no trained model under " + DefaultModel.modelsRoot().resolve(DefaultModel.NAME)
                    + " yet: rule alarms only (--model DIR to choose one)");
            return null;
        }
        JobConfig c = JobConfig.fromMap(model == null ? Map.of() : Map.of("model.dir", model));
        ModelInfo m = ModelInfo.resolve(c);
        o.println("model: " + m.name() + " v" + m.version() + " (" + m.directory() + ")");
        return m;
    }

    private static List<Path> recordHeaders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".hea")).sorted().toList();
        }
    }

    /** A replayed record: its sample rate, the event time of its first sample, the samples replayed. */
    record RecordInfo(double fs, long startMicros, long length) {}

    /**
     * A simulated bedside device: the simulator's {@link SyntheticPatient} on ecg-core's generator
     * ({@value #SYNTHETIC_FS} Hz, all twelve leads, default noise), publishing its scheduled episodes
     * and its ectopic beats (the V beats of a VT run decide whether the run is long enough to alarm).
     */
    static SyntheticPatient syntheticPatient(String patientId, String deviceId, long seed, Scenario scenario) {
        EcgSynthesizer gen = EcgSynthesizer.builder().seed(seed).sampleRate(SYNTHETIC_FS).leads(StandardLead.ALL)
                .scenario(scenario).build();
        return new SyntheticPatient(patientId, deviceId, gen, TruthBeats.ECTOPIC);
    }

    private void consume(String bootstrap, String topic, long t0, AtomicBoolean consuming, PrintStream o) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "demo-alert-printer");
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        AvroSerde<Alert> serde = AvroSerde.of(Alert.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            int idle = 0;
            while (consuming.get() || idle < 6) {
                var recs = c.poll(Duration.ofMillis(250));
                idle = recs.isEmpty() ? idle + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : recs) {
                    Alert a;
                    try {
                        a = serde.deserialize(r.value());
                    } catch (DecodeException e) {
                        o.println("undecodable alert at offset " + r.offset() + ": " + e.getMessage());
                        continue;
                    }
                    all.add(a);
                    if (a.getState() == AlertState.RAISED) {
                        raised.add(a);
                    }
                    double at = (a.getExplanation().getSpanEndMicros() - t0) / 1e6;
                    o.printf(Locale.ROOT, "%9s %-10s %-26s %-6s %-8s %5s  %s%n", clock(at), a.getPatientId(),
                            a.getType(), a.getPriority(), a.getState(),
                            a.getHeartRateBpm() == null ? "-" : String.format(Locale.ROOT, "%.0f", a.getHeartRateBpm()),
                            a.getExplanation().getText());
                }
            }
        }
    }

    private static void deadLetterSummary(String bootstrap, long sent, PrintStream o) {
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        AvroSerde<io.ecgsentinel.schemas.avro.DeadLetter> serde = AvroSerde.of(io.ecgsentinel.schemas.avro.DeadLetter.class);
        for (byte[] v : AlertReader.readValues(bootstrap, "ecg.deadletter.v1")) {
            try {
                reasons.merge(serde.deserialize(v).getReasonCode().name(), 1, Integer::sum);
            } catch (DecodeException e) {
                reasons.merge("undecodable dead letter", 1, Integer::sum);
            }
        }
        o.printf(Locale.ROOT, "%nframes sent: %d; dead letters: %s%n", sent, reasons.isEmpty() ? "none" : reasons);
    }

    static String clock(double s) {
        long t = (long) Math.floor(Math.max(0, s));
        return String.format(Locale.ROOT, "+%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
    }

    /** Waits until the job has read every frame and committed the alerts that follow from them. */
    private static void waitForJob(String bootstrap, String frames, JobConfig cfg, AtomicBoolean running)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (running.get() && System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(cfg.groupId())
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int i = 0; i < 4; i++) {
                    latest.put(new TopicPartition(frames, i), OffsetSpec.latest());
                }
                var ends = admin.listOffsets(latest).all().get();
                boolean caughtUp = true;
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    caughtUp &= e.getValue().offset() == 0 || (c != null && c.offset() >= e.getValue().offset());
                }
                if (caughtUp) {
                    break;
                }
                Thread.sleep(500);
            }
        }
        // the last windows need the watermark to pass them (idleness), and their alerts a checkpoint
        Thread.sleep(cfg.idlenessMillis() + 3 * cfg.checkpointIntervalMillis() + 2000);
    }

    private void writeAnnotations(Path dir, Map<String, RecordInfo> info) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<Annotation>> byRecord = new LinkedHashMap<>();
        for (String r : info.keySet()) {
            byRecord.put(r, new ArrayList<>());
        }
        synchronized (raised) {
            for (Alert a : raised) {
                RecordInfo ri = info.get(a.getPatientId());
                if (ri == null) {
                    continue;
                }
                long sample = Math.max(0, Math.round((a.getOnsetTimeMicros() - ri.startMicros()) / 1e6 * ri.fs()));
                byRecord.get(a.getPatientId()).add(new Annotation(Math.min(sample, ri.length() - 1),
                        AnnotationCodes.RHYTHM, 0, 0, 0, auxOf(a.getType().name())));
            }
        }
        for (var e : byRecord.entrySet()) {
            List<Annotation> anns = new ArrayList<>(e.getValue());
            anns.sort((x, y) -> Long.compare(x.sample(), y.sample()));
            AnnotationWriter.write(dir.resolve(e.getKey() + ".alarm"), anns);
        }
        System.out.println("wrote " + byRecord.size() + " .alarm annotation files to " + dir.toAbsolutePath());
    }

    static String auxOf(String type) {
        return switch (type) {
            case "VENTRICULAR_TACHYCARDIA" -> "(VT";
            case "VENTRICULAR_FIBRILLATION" -> "(VF";
            case "ASYSTOLE" -> "(ASYS";
            case "ATRIAL_FIBRILLATION" -> "(AFIB";
            case "EXTREME_BRADYCARDIA" -> "(BRADY";
            case "EXTREME_TACHYCARDIA" -> "(TACHY";
            case "VENTRICULAR_RUN" -> "(VRUN";
            case "LEAD_OFF" -> "(LEADOFF";
            case "UNUSABLE_SIGNAL" -> "(NOISE";
            default -> "(" + type;
        };
    }
}
