package io.ecgsentinel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.io.KafkaIo;
import io.ecgsentinel.flink.job.EcgAnomalyJob;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.kafka.KafkaEndpoint;
import io.ecgsentinel.simulator.KafkaFramePublisher;
import io.ecgsentinel.simulator.PatientStream;
import io.ecgsentinel.simulator.ProducerSettings;
import io.ecgsentinel.simulator.SimStats;
import io.ecgsentinel.simulator.SimulationRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One step of the bench: N simulated patients live (speed 1) into the in-JVM broker, the job built by
 * {@link EcgPipeline} on a local Flink cluster with the default model, and a read_committed consumer of
 * the job's per-window results. After a warm-up, a measurement interval; then a short drain so the
 * results of the interval's last windows can arrive.
 */
final class PipelineRun {

    /** Settings shared by every step. */
    /** Job settings each step sets itself (topics, group, offsets, timing, model): not for {@code --job}. */
    static final java.util.Set<String> BENCH_OWNED_KEYS = java.util.Set.of("bootstrap.servers", "frames.topic",
            "alerts.topic", "deadletter.topic", "group.id", "starting.offsets", "checkpoint.interval.ms",
            "idleness.ms", "out-of-orderness.ms", "transactional.id.prefix", "model.enabled", "model.dir");

    record Settings(int parallelism, int partitions, long checkpointMillis, long outOfOrdernessMillis,
            long idlenessMillis, double warmupSeconds, double measureSeconds, double drainSeconds, long seed,
            ModelInfo model, int simThreads, Map<String, String> jobOverrides) {}

    /** What one step measured. */
    record Result(int patients, double framesPerSecond, double framesSentPerSecond, double samplesPerSecond,
            boolean keptUp, String verdict, double lagSecondsEnd, double lagGrowth, double p50Ms, double p95Ms,
            double p99Ms, long latencies, long windowsExpected, long windowsReceived, double modelWindowsPerSecond,
            double cpuCores, Map<String, Double> cpuGroups, long heapUsedMax, long heapCommittedMax, long directMax,
            long rssMax, double stateBytesPerPatient, double checkpointMs, double simPacingP99Ms,
            long latencyMisses) {}

    private final KafkaEndpoint kafka;
    private final BenchCluster cluster;
    private final Settings s;
    private final PrintStream log;

    PipelineRun(KafkaEndpoint kafka, BenchCluster cluster, Settings settings, PrintStream log) {
        this.kafka = kafka;
        this.cluster = cluster;
        this.s = settings;
        this.log = log;
    }

    Result run(int n) throws Exception {
        String tag = "n" + n + "-" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        String frames = "bench." + tag + ".frames";
        String truth = "bench." + tag + ".truth";
        String alerts = "bench." + tag + ".alerts";
        String dlq = "bench." + tag + ".deadletter";
        String windows = "bench." + tag + ".windows";
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(frames, s.partitions());
        topics.put(truth, 1);
        topics.put(alerts, s.partitions());
        topics.put(dlq, 1);
        topics.put(windows, s.partitions());
        kafka.createTopics(topics);
        try {
            return run(n, tag, frames, truth, alerts, dlq, windows);
        } finally {
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                admin.deleteTopics(topics.keySet()).all().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.println("  (could not delete the step's topics: " + e.getMessage() + ")");
            }
        }
    }

    private Result run(int n, String tag, String framesTopic, String truthTopic, String alertsTopic, String dlqTopic,
            String windowsTopic) throws Exception {
        Map<String, String> settings = new HashMap<>(s.jobOverrides());
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("frames.topic", framesTopic);
        settings.put("alerts.topic", alertsTopic);
        settings.put("deadletter.topic", dlqTopic);
        settings.put("group.id", "bench-" + tag);
        settings.put("starting.offsets", "earliest");
        settings.put("checkpoint.interval.ms", Long.toString(s.checkpointMillis()));
        settings.put("idleness.ms", Long.toString(s.idlenessMillis()));
        settings.put("out-of-orderness.ms", Long.toString(s.outOfOrdernessMillis()));
        settings.put("transactional.id.prefix", "bench-" + tag + "-alerts");
        settings.put("model.enabled", Boolean.toString(s.model() != null));
        if (s.model() != null) {
            settings.put("model.dir", s.model().directory());
        }
        JobConfig cfg = JobConfig.fromMap(settings);

        int restPort = cluster.restPort();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
        env.setParallelism(s.parallelism());
        EcgAnomalyJob.configureLocal(env, cfg);
        KafkaSink<WindowAnalysis> windowSink = windowSink(cfg, windowsTopic, "bench-" + tag + "-windows");
        EcgPipeline.build(env, cfg, s.model(), KafkaIo.frameSource(cfg),
                a -> a.sinkTo(KafkaIo.alertSink(cfg)).uid("alerts-sink").name("alerts to Kafka"),
                d -> d.sinkTo(KafkaIo.deadLetterSink(cfg)).uid("dead-letter-sink").name("dead letters to Kafka"),
                (DataStream<WindowAnalysis> w) -> w.sinkTo(windowSink).uid("bench-window-results")
                        .name("window results to Kafka"));
        JobClient job = cluster.submit(env, "ecg-sentinel bench " + n + " patients");
        AtomicBoolean readResults = new AtomicBoolean(true);
        Thread reader = null;
        SimulationRunner runner = null;
        Thread sim = null;
        KafkaFramePublisher publisher = null;
        try {
            long until = System.currentTimeMillis() + 120_000;
            while (job.getJobStatus().get() != JobStatus.RUNNING) {
                if (System.currentTimeMillis() > until || job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException("the job did not start: " + job.getJobStatus().get());
                }
                Thread.sleep(100);
            }
            awaitTasksRunning(restPort, job, until);

            double total = s.warmupSeconds() + s.measureSeconds() + s.drainSeconds() + 5;
            List<PatientStream> patients = BenchFrames.patients(s.seed(), n, total);
            List<String> ids = patients.stream().map(PatientStream::patientId).toList();
            SimStats stats = new SimStats();
            Properties pp = ProducerSettings.resolve(kafka.bootstrapServers(), null, Map.of());
            publisher = new KafkaFramePublisher(pp, framesTopic, truthTopic, stats);
            SendClock clock = new SendClock(publisher, ids);
            long startMicros = System.currentTimeMillis() * 1000 + 500_000;
            SimulationRunner.Config sc = SimulationRunner.Config.defaults().withStartMicros(startMicros)
                    .withThreads(s.simThreads());
            runner = new SimulationRunner(patients, clock, sc, stats);

            long fromEvent = startMicros + (long) (s.warmupSeconds() * 1e6);
            long toEvent = fromEvent + (long) (s.measureSeconds() * 1e6);
            Collector results = new Collector(clock, fromEvent, toEvent);
            reader = new Thread(() -> results.read(kafka, windowsTopic, s.partitions(), readResults), "bench-results");
            reader.setDaemon(true);
            reader.start();

            SimulationRunner r = runner;
            AtomicReference<Throwable> simFailure = new AtomicReference<>();
            sim = new Thread(() -> {
                try {
                    r.run();
                } catch (Throwable e) {
                    simFailure.set(e);
                }
            }, "bench-simulator");
            sim.setDaemon(true);
            sim.start();
            while (runner.wallStartMillis() == 0) {
                Thread.sleep(10);
            }
            long wall0 = runner.wallStartMillis();
            long measureFrom = wall0 + (long) (s.warmupSeconds() * 1000);
            long measureTo = measureFrom + (long) (s.measureSeconds() * 1000);
            long drainTo = measureTo + (long) (s.drainSeconds() * 1000);

            ResourceMeter meter = new ResourceMeter();
            ResourceMeter.CpuSnapshot cpuA = null;
            ResourceMeter.CpuSnapshot cpuB = null;
            long sentA = 0;
            long sentB = 0;
            long[] pacing = null;
            double pacingP99 = Double.NaN;
            List<double[]> lag = new ArrayList<>(); // wall s, lag frames, committed frames
            double stateBytes = Double.NaN;
            double[] checkpoint = {Double.NaN, Double.NaN};
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                long next = System.currentTimeMillis();
                while (System.currentTimeMillis() < drainTo) {
                    long now = System.currentTimeMillis();
                    if (cpuA == null && now >= measureFrom) {
                        System.gc();
                        meter.resetMaxima();
                        cpuA = meter.cpu();
                        sentA = stats.framesSent.sum();
                        pacing = stats.lagSnapshot();
                    }
                    if (cpuA != null && cpuB == null && now >= measureTo) {
                        cpuB = meter.cpu();
                        sentB = stats.framesSent.sum();
                        pacingP99 = stats.lagQuantileMillisSince(pacing, 0.99);
                        checkpoint = checkpointSizeAndMillis(restPort, job);
                        stateBytes = checkpoint[0];
                    }
                    if (cpuA != null && cpuB == null) {
                        meter.sampleMemory();
                    }
                    if (now >= measureFrom - 1000 && now <= measureTo + 1000) {
                        double[] l = groupLag(admin, cfg.groupId(), framesTopic);
                        if (l != null) {
                            lag.add(new double[] {(System.currentTimeMillis() - wall0) / 1000.0, l[0], l[1]});
                        }
                    }
                    if (simFailure.get() != null) {
                        throw new IllegalStateException("simulator failed: " + simFailure.get().getMessage(),
                                simFailure.get());
                    }
                    JobStatus st = job.getJobStatus().get();
                    if (st.isGloballyTerminalState() || st == JobStatus.FAILING || st == JobStatus.RESTARTING) {
                        throw new IllegalStateException("the job is " + st + " during the step");
                    }
                    next += 1000;
                    long sleep = next - System.currentTimeMillis();
                    if (sleep > 0) {
                        Thread.sleep(sleep);
                    }
                }
            }
            runner.stop();
            sim.join(30_000);
            readResults.set(false);
            reader.join(10_000);
            return summarise(n, results, meter, cpuA, cpuB, sentA, sentB, pacingP99, lag, stateBytes, checkpoint[1],
                    stats);
        } finally {
            if (runner != null) {
                runner.stop();
            }
            readResults.set(false);
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
                // The cluster runs the next step's job: this one must be gone (its transactions
                // aborted, its slots free) before its topics are deleted and the next job starts.
                long until = System.currentTimeMillis() + 120_000;
                while (!job.getJobStatus().get().isGloballyTerminalState()) {
                    if (System.currentTimeMillis() > until) {
                        throw new IllegalStateException("the job did not stop within 120 s of its cancel");
                    }
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                log.println("  (job cancel: " + e.getMessage() + ")");
            }
            if (publisher != null) {
                publisher.close(Duration.ofSeconds(10));
            }
        }
    }

    private Result summarise(int n, Collector results, ResourceMeter meter, ResourceMeter.CpuSnapshot cpuA,
            ResourceMeter.CpuSnapshot cpuB, long sentA, long sentB, double pacingP99, List<double[]> lag,
            double stateBytes, double checkpointMs, SimStats stats) {
        double secs = s.measureSeconds();
        Map<String, Double> cores = ResourceMeter.cores(cpuA, cpuB);
        double sentRate = (sentB - sentA) / ((cpuB.wallNanos() - cpuA.wallNanos()) / 1e9);
        double expectedFrames = n * 1000.0 / BenchFrames.FRAME_MILLIS;
        // job throughput from its committed offsets, lag in seconds of input
        double consumed = Double.NaN;
        double lagEnd = Double.NaN;
        double growth = Double.NaN;
        List<double[]> inside = lag.stream().filter(l -> l[0] >= s.warmupSeconds() - 1
                && l[0] <= s.warmupSeconds() + secs + 1).toList();
        if (inside.size() >= 2) {
            double[] a = inside.get(0);
            double[] b = inside.get(inside.size() - 1);
            consumed = (b[2] - a[2]) / (b[0] - a[0]);
            lagEnd = b[1] / expectedFrames;
            double[] xs = inside.stream().mapToDouble(l -> l[0]).toArray();
            double[] ys = inside.stream().mapToDouble(l -> l[1] / expectedFrames).toArray();
            growth = slope(xs, ys);
        }
        long[] lat = results.latencies();
        Arrays.sort(lat);
        long expectedWindows = Math.round(n * secs / 1.0); // one window per patient and hop (1 s)
        List<String> problems = new ArrayList<>();
        if (sentRate < 0.95 * expectedFrames) {
            problems.add(String.format(Locale.ROOT, "simulator sent only %.0f%% of the frames due",
                    100 * sentRate / expectedFrames));
        }
        double lagBound = s.checkpointMillis() / 1000.0 + 5;
        if (Double.isNaN(lagEnd)) {
            problems.add("no committed offsets (no checkpoint completed)");
        } else if (lagEnd > lagBound) {
            problems.add(String.format(Locale.ROOT, "consumer lag %.1f s > %.1f s", lagEnd, lagBound));
        } else if (growth > 0.05) {
            problems.add(String.format(Locale.ROOT, "consumer lag growing %.2f s/s", growth));
        }
        if (results.windows() < 0.9 * expectedWindows) {
            problems.add(String.format(Locale.ROOT, "only %d of ~%d window results arrived", results.windows(),
                    expectedWindows));
        }
        double scoredRate = results.scoredBeats() / secs;
        return new Result(n, consumed, sentRate, consumed * BenchFrames.FRAME_SAMPLES * BenchFrames.LEADS,
                problems.isEmpty(), problems.isEmpty() ? "yes" : String.join("; ", problems), lagEnd, growth,
                quantile(lat, 0.50), quantile(lat, 0.95), quantile(lat, 0.99), lat.length, expectedWindows,
                results.windows(), scoredRate, cores.get("total"), cores, meter.maxHeapUsed, meter.maxHeapCommitted,
                meter.maxDirect, meter.maxRss, stateBytes / n, checkpointMs, pacingP99, results.misses());
    }

    static double quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double slope(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    /** Lag (end offsets minus the job's committed offsets) and the committed total, or null before a commit. */
    private static double[] groupLag(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            if (committed == null || committed.isEmpty()) {
                return null;
            }
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            for (TopicPartition tp : committed.keySet()) {
                if (tp.topic().equals(topic)) {
                    req.put(tp, OffsetSpec.latest());
                }
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(req).all()
                    .get(5, TimeUnit.SECONDS);
            long lag = 0;
            long com = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long co = c == null ? 0 : c.offset();
                lag += Math.max(0, e.getValue().offset() - co);
                com += co;
            }
            return new double[] {lag, com};
        } catch (Exception e) {
            return null;
        }
    }

    private static KafkaSink<WindowAnalysis> windowSink(JobConfig cfg, String topic, String txPrefix) {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", Long.toString(cfg.transactionTimeoutMillis()));
        return KafkaSink.<WindowAnalysis>builder()
                .setBootstrapServers(cfg.bootstrapServers())
                .setRecordSerializer(new WindowResults.Schema(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(txPrefix)
                .setKafkaProducerConfig(p)
                .build();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode rest(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    /** Waits until every vertex of the job has all its subtasks running (sources read from then on). */
    private static void awaitTasksRunning(int port, JobClient job, long until) throws Exception {
        while (System.currentTimeMillis() < until) {
            JobStatus st = job.getJobStatus().get();
            if (st.isGloballyTerminalState() || st == JobStatus.FAILING || st == JobStatus.RESTARTING) {
                throw new IllegalStateException("the job is " + st + " while starting");
            }
            try {
                JsonNode j = rest(port, "/jobs/" + job.getJobID());
                boolean all = j.path("vertices").size() > 0;
                for (JsonNode v : j.path("vertices")) {
                    all &= "RUNNING".equals(v.path("status").asText());
                }
                if (all) {
                    return;
                }
            } catch (IOException e) {
                // the REST endpoint may not answer yet
            }
            Thread.sleep(200);
        }
    }

    /** Full state size of the latest completed checkpoint (bytes), NaN if none. */
    /**
     * Full state size (bytes) of the latest completed checkpoint, and the mean end-to-end duration
     * (ms) of the job's completed checkpoints (results become readable only when one completes).
     */
    private static double[] checkpointSizeAndMillis(int port, JobClient job) {
        double[] out = {Double.NaN, Double.NaN};
        try {
            JsonNode all = rest(port, "/jobs/" + job.getJobID() + "/checkpoints");
            JsonNode c = all.path("latest").path("completed");
            if (!c.isMissingNode() && !c.isNull()) {
                JsonNode size = c.has("state_size") ? c.get("state_size") : c.get("checkpointed_size");
                out[0] = size == null ? Double.NaN : size.asDouble();
            }
            JsonNode d = all.path("summary").path("end_to_end_duration").path("avg");
            out[1] = d.isNumber() ? d.asDouble() : Double.NaN;
        } catch (IOException | InterruptedException e) {
            // figures stay NaN
        }
        return out;
    }

    /** Reads the window results (read_committed) and measures each one's latency. */
    static final class Collector {
        private final SendClock clock;
        private final long fromEvent;
        private final long toEvent;
        private long[] lat = new long[1 << 16];
        private int latCount;
        private long windows;
        private long scoredBeats;
        private long misses;

        Collector(SendClock clock, long fromEvent, long toEvent) {
            this.clock = clock;
            this.fromEvent = fromEvent;
            this.toEvent = toEvent;
        }

        void read(KafkaEndpoint kafka, String topic, int partitions, AtomicBoolean running) {
            Properties p = kafka.consumerProperties("bench-results-reader");
            p.put("max.poll.records", "5000");
            p.put("fetch.max.wait.ms", "20");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> tps = new ArrayList<>();
                for (int i = 0; i < partitions; i++) {
                    tps.add(new TopicPartition(topic, i));
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                while (running.get()) {
                    var records = c.poll(Duration.ofMillis(50));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        accept(WindowResults.parse(r.key(), r.value()), now);
                    }
                }
            }
        }

        synchronized void accept(WindowResults.Result r, long nowMillis) {
            if (r.windowEndMicros() < fromEvent || r.windowEndMicros() >= toEvent) {
                return;
            }
            windows++;
            scoredBeats += r.scoredBeats();
            long sent = clock.sentMillis(r.patientId(), r.windowEndMicros());
            if (sent == Long.MIN_VALUE) {
                misses++;
                return;
            }
            if (latCount == lat.length) {
                lat = Arrays.copyOf(lat, lat.length * 2);
            }
            lat[latCount++] = nowMillis - sent;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(lat, latCount);
        }

        synchronized long windows() {
            return windows;
        }

        synchronized long scoredBeats() {
            return scoredBeats;
        }

        synchronized long misses() {
            return misses;
        }
    }
}
