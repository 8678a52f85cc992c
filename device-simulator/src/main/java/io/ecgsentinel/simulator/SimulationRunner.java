package io.ecgsentinel.simulator;

import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays many patients as live devices: each patient's next frame leaves when the wall clock
 * reaches the frame's event time divided by the speed, so event time tracks wall-clock time at
 * any speed.
 *
 * <p>Time: the run starts at event time {@code startMicros} and wall time {@code W0}. Patient i
 * of N has its device clock start at {@code startMicros + (i / N) * frame}, which spreads the
 * patients evenly over the frame period (no bursts at frame boundaries). Sample j of that patient
 * is at {@code deviceStart + j * 1e6 / rate} µs (the frame's {@code firstSampleTimeMicros}), and
 * a frame is due when its last sample has been "acquired": at wall time {@code W0 + (frameEnd -
 * startMicros) / speed}. Sequence numbers are per device and contiguous from 0.
 *
 * <p>Threads: patients are dealt round-robin to worker threads; each worker keeps its patients in
 * a queue ordered by due time, sleeps until the earliest is due, generates, encodes and sends it.
 * The pacing lag (actual send time minus due time) of every frame is recorded.
 */
public final class SimulationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SimulationRunner.class);

    /**
     * Run settings.
     *
     * @param speed event time per wall time (1 = real time, 10 = ten times faster)
     * @param frameMillis event-time length of a frame (40-250 ms)
     * @param durationSeconds event time per patient; 0 or less runs until {@link #stop()} (or, for
     *     replay without loop, until the records end)
     * @param startMicros event time of the start, UTC µs (usually now)
     * @param threads worker threads
     * @param faults injected transport faults
     * @param progressSeconds interval of progress lines, 0 for none
     * @param progress where progress lines go (stderr), or null
     */
    public record Config(double speed, int frameMillis, double durationSeconds, long startMicros, int threads,
            Faults faults, double progressSeconds, PrintStream progress) {

        public Config {
            if (!(speed > 0 && speed <= 10_000)) {
                throw new IllegalArgumentException("--speed must be in (0, 10000], got " + speed);
            }
            if (frameMillis < 40 || frameMillis > 250) {
                throw new IllegalArgumentException("--frame-ms must be in [40, 250], got " + frameMillis);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
        }

        /** Real time, 100 ms frames, run until stopped, now, one worker per core, no faults, no progress. */
        public static Config defaults() {
            return new Config(1, 100, 0, System.currentTimeMillis() * 1000, defaultThreads(), Faults.NONE, 0, null);
        }

        public Config withSpeed(double s) {
            return new Config(s, frameMillis, durationSeconds, startMicros, threads, faults, progressSeconds, progress);
        }

        public Config withDuration(double seconds) {
            return new Config(speed, frameMillis, seconds, startMicros, threads, faults, progressSeconds, progress);
        }

        public Config withFaults(Faults f) {
            return new Config(speed, frameMillis, durationSeconds, startMicros, threads, f, progressSeconds, progress);
        }

        public Config withProgress(double seconds, PrintStream out) {
            return new Config(speed, frameMillis, durationSeconds, startMicros, threads, faults, seconds, out);
        }

        public Config withFrameMillis(int ms) {
            return new Config(speed, ms, durationSeconds, startMicros, threads, faults, progressSeconds, progress);
        }

        public Config withThreads(int n) {
            return new Config(speed, frameMillis, durationSeconds, startMicros, n, faults, progressSeconds, progress);
        }

        public Config withStartMicros(long micros) {
            return new Config(speed, frameMillis, durationSeconds, micros, threads, faults, progressSeconds, progress);
        }
    }

    /** Worker threads by default: the cores, at most 4. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    private final List<PatientStream> patients;
    private final FramePublisher publisher;
    private final Config cfg;
    private final SimStats stats;
    private final AvroSerde<EcgFrame> frameSerde = AvroSerde.of(EcgFrame.class);
    private volatile boolean stopping;
    private final List<Thread> workers = new ArrayList<>();
    private volatile long wallStartNanos;
    private volatile long wallStartMillis;

    public SimulationRunner(List<PatientStream> patients, FramePublisher publisher, Config cfg, SimStats stats) {
        if (patients.isEmpty()) {
            throw new IllegalArgumentException("no patients to simulate");
        }
        this.patients = List.copyOf(patients);
        this.publisher = publisher;
        this.cfg = cfg;
        this.stats = stats;
    }

    public SimStats stats() {
        return stats;
    }

    /** Wall-clock ms at which event time {@code startMicros} was (valid once {@link #run()} started). */
    public long wallStartMillis() {
        return wallStartMillis;
    }

    /** Asks the run to stop after the frames in progress; {@link #run()} then flushes and returns. */
    public void stop() {
        stopping = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }

    /** Runs until every patient is done or {@link #stop()}; flushes the publisher; returns the stats. */
    public SimStats run() throws InterruptedException {
        int n = patients.size();
        int threads = Math.min(cfg.threads(), n);
        List<List<Slot>> parts = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            parts.get(i % threads).add(new Slot(patients.get(i), i, n));
        }
        CountDownLatch done = new CountDownLatch(threads);
        warmUp();
        wallStartMillis = System.currentTimeMillis();
        wallStartNanos = System.nanoTime();
        stats.activePatients.set(n);
        LOG.info("simulating {} patients on {} threads: speed {}x, {} ms frames, duration {}", n, threads,
                cfg.speed(), cfg.frameMillis(), cfg.durationSeconds() > 0 ? cfg.durationSeconds() + " s" : "unbounded");
        for (int w = 0; w < threads; w++) {
            List<Slot> mine = parts.get(w);
            long seed = cfg.faults().seed() * 1_000_003L + w;
            Thread t = new Thread(() -> {
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpu0 = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : 0;
                try {
                    work(mine, new SplittableRandom(seed));
                } catch (RuntimeException e) {
                    stats.recordError("worker failed", e);
                    LOG.error("simulator worker failed", e);
                } finally {
                    if (mx.isCurrentThreadCpuTimeSupported()) {
                        stats.workerCpuNanos.add(mx.getCurrentThreadCpuTime() - cpu0);
                    }
                    done.countDown();
                }
            }, "sim-worker-" + w);
            t.setDaemon(true);
            workers.add(t);
        }
        Thread reporter = null;
        if (cfg.progressSeconds() > 0 && cfg.progress() != null) {
            reporter = new Thread(() -> report(done), "sim-progress");
            reporter.setDaemon(true);
            reporter.start();
        }
        workers.forEach(Thread::start);
        done.await();
        publisher.flush();
        if (reporter != null) {
            reporter.interrupt();
            reporter.join(1000);
        }
        LOG.info("simulation finished: {}", stats.summary());
        return stats;
    }

    /**
     * Runs the frame path (generator, frame builder, Avro encoder) on throwaway data before the
     * clock starts, so class loading and the first JIT compilations do not make the first real
     * frames late. Touches no patient.
     */
    private void warmUp() {
        io.ecgsentinel.core.synth.EcgSynthesizer g = io.ecgsentinel.core.synth.EcgSynthesizer.builder()
                .seed(0).sampleRate(500).build();
        float[][] buf = new float[12][50];
        float[] gains = new float[12];
        Arrays.fill(gains, 200f);
        List<String> names = io.ecgsentinel.core.synth.StandardLead.ALL.stream()
                .map(io.ecgsentinel.core.synth.StandardLead::label).toList();
        long deadline = System.nanoTime() + 300_000_000L;
        for (int i = 0; i < 400 && System.nanoTime() < deadline; i++) {
            g.next(buf, 0, 50);
            frameSerde.serialize(EcgFrames.builder("warm-up", "warm-up", i, i, 500, names, buf, gains).build());
        }
    }

    // ------------------------------------------------------------------ workers

    private final class Slot {
        final PatientStream p;
        final int index;
        final int fs;
        final int n;
        final long deviceStartMicros;
        final double phaseSeconds;
        final long maxSamples;
        final float[][] buf;
        final boolean[] leadOff;
        final float[] gains;
        final List<String> leads;
        long seq;
        long due;
        long intendedSend;
        byte[] held;
        EcgFrame heldFrame;

        Slot(PatientStream p, int index, int count) {
            this.p = p;
            this.index = index;
            this.fs = p.sampleRateHz();
            this.n = Math.max(1, (int) Math.round(cfg.frameMillis() * fs / 1000.0));
            this.phaseSeconds = (double) index / count * cfg.frameMillis() / 1000.0;
            this.deviceStartMicros = cfg.startMicros() + Math.round(phaseSeconds * 1e6);
            this.maxSamples = cfg.durationSeconds() > 0
                    ? (long) Math.ceil(cfg.durationSeconds() * fs / n) * n : Long.MAX_VALUE;
            this.buf = new float[p.leads().size()][n];
            this.leadOff = new boolean[p.leads().size()];
            this.gains = p.gains();
            this.leads = p.leads();
        }

        long sampleMicros(long sample) {
            return deviceStartMicros + Math.floorDiv(sample * 1_000_000L + fs / 2, fs);
        }

        /** Wall nanos at which the frame ending at sample {@code end} is due. */
        long dueNanos(long end) {
            double eventSeconds = phaseSeconds + (double) end / fs;
            return wallStartNanos + (long) (eventSeconds * 1e9 / cfg.speed());
        }
    }

    private void work(List<Slot> slots, SplittableRandom rnd) {
        PriorityQueue<Slot> queue = new PriorityQueue<>((a, b) -> Long.compare(a.intendedSend, b.intendedSend));
        for (Slot s : slots) {
            schedule(s, rnd);
            queue.add(s);
        }
        List<Integer> pacing = new ArrayList<>();
        List<TruthEvent> truth = new ArrayList<>();
        Faults faults = cfg.faults();
        while (!queue.isEmpty() && !stopping) {
            Slot s = queue.peek();
            long now = System.nanoTime();
            if (s.intendedSend > now) {
                LockSupport.parkNanos(Math.min(s.intendedSend - now, 50_000_000L));
                continue;
            }
            queue.poll();
            stats.recordLag(now - s.intendedSend);
            long first = s.p.position();
            Arrays.fill(s.leadOff, false);
            pacing.clear();
            truth.clear();
            int want = (int) Math.min(s.n, s.maxSamples - first);
            int got = s.p.next(s.buf, want, s.leadOff, pacing, truth);
            if (got > 0) {
                stats.framesGenerated.increment();
                stats.samplesGenerated.add((long) got * s.leads.size());
                EcgFrame frame = buildFrame(s, first, got, pacing);
                byte[] bytes = frameSerde.serialize(frame);
                long seq = frame.getSequence();
                String faultType = null;
                if (faults.dropProbability() > 0 && rnd.nextDouble() < faults.dropProbability()) {
                    stats.dropped.increment();
                    faultType = "FRAME_DROPPED";
                } else if (faults.reorderProbability() > 0 && s.held == null
                        && rnd.nextDouble() < faults.reorderProbability()) {
                    s.held = bytes;
                    s.heldFrame = frame;
                    stats.reordered.increment();
                    faultType = "FRAME_REORDERED";
                } else {
                    publisher.publishFrame(s.p.patientId(), frame, bytes);
                    if (faults.duplicateProbability() > 0 && rnd.nextDouble() < faults.duplicateProbability()) {
                        publisher.publishFrame(s.p.patientId(), frame, bytes);
                        stats.duplicated.increment();
                        faultType = "FRAME_DUPLICATED";
                    }
                    if (s.held != null) {
                        // the held-back frame leaves after its successor: out of order
                        publisher.publishFrame(s.p.patientId(), s.heldFrame, s.held);
                        s.held = null;
                        s.heldFrame = null;
                    }
                }
                for (TruthEvent t : truth) {
                    publisher.publishTruth(toEvent(s, t));
                }
                if (faultType != null) {
                    publisher.publishTruth(toEvent(s, new TruthEvent(faultType, first, first + got,
                            "sequence=" + seq, true)));
                }
            }
            if (got < want || s.p.finished() || s.p.position() >= s.maxSamples) {
                finish(s);
                continue;
            }
            schedule(s, rnd);
            queue.add(s);
        }
        for (Slot s : slots) {
            if (s.held != null) {
                finish(s);
            }
        }
    }

    private void finish(Slot s) {
        if (s.held != null) {
            publisher.publishFrame(s.p.patientId(), s.heldFrame, s.held);
            s.held = null;
            s.heldFrame = null;
        }
        stats.activePatients.decrementAndGet();
    }

    private void schedule(Slot s, SplittableRandom rnd) {
        long end = Math.min(s.p.position() + s.n, s.maxSamples);
        s.due = s.dueNanos(end);
        s.intendedSend = s.due;
        if (cfg.faults().jitterMillis() > 0) {
            long j = (long) (rnd.nextDouble() * cfg.faults().jitterMillis() * 1e6);
            s.intendedSend += j;
            stats.jittered.increment();
        }
    }

    private EcgFrame buildFrame(Slot s, long first, int got, List<Integer> pacing) {
        float[][] mv = s.buf;
        if (got < s.n) {
            mv = new float[s.buf.length][];
            for (int k = 0; k < mv.length; k++) {
                mv[k] = Arrays.copyOf(s.buf[k], got);
            }
        }
        EcgFrame.Builder b = EcgFrames.builder(s.p.patientId(), s.p.deviceId(), s.seq++, s.sampleMicros(first),
                s.fs, s.leads, mv, s.gains);
        List<Boolean> off = new ArrayList<>(s.leadOff.length);
        for (boolean o : s.leadOff) {
            off.add(o);
        }
        b.setLeadOff(off);
        if (!pacing.isEmpty()) {
            b.setPacingMarks(new ArrayList<>(pacing));
        }
        return b.build();
    }

    private GroundTruthEvent toEvent(Slot s, TruthEvent t) {
        return GroundTruthEvent.newBuilder()
                .setPatientId(s.p.patientId())
                .setDeviceId(t.deviceScoped() ? s.p.deviceId() : null)
                .setEventType(t.eventType())
                .setOnsetMicros(s.sampleMicros(t.onsetSample()))
                .setEndMicros(s.sampleMicros(t.endSample()))
                .setSource(s.p.source())
                .setDetail(t.detail())
                .build();
    }

    // ------------------------------------------------------------------ progress

    private void report(CountDownLatch done) {
        long lastFrames = 0;
        long lastNanos = System.nanoTime();
        long[] lastLag = stats.lagSnapshot();
        long periodMs = (long) (cfg.progressSeconds() * 1000);
        try {
            while (!done.await(periodMs, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                long frames = stats.framesSent.sum();
                double rate = (frames - lastFrames) / ((now - lastNanos) / 1e9);
                double wall = (now - wallStartNanos) / 1e9;
                double p50 = stats.lagQuantileMillisSince(lastLag, 0.5);
                double p99 = stats.lagQuantileMillisSince(lastLag, 0.99);
                cfg.progress().println(String.format(Locale.ROOT,
                        "[sim %6.1fs] patients %d | frames/s %.0f | sent %d acked %d failed %d"
                                + " | lag (last %.0fs) p50 %s p99 %s",
                        wall, stats.activePatients.get(), rate, frames, stats.framesAcked.sum(), stats.failures(),
                        cfg.progressSeconds(), ms(p50), ms(p99)));
                lastFrames = frames;
                lastNanos = now;
                lastLag = stats.lagSnapshot();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 10_000 ? ">10 s" : String.format(Locale.ROOT, "%.1f ms", v);
    }
}
