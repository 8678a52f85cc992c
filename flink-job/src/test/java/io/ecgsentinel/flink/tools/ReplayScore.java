package io.ecgsentinel.flink.tools;

import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.demo.AlarmScorer;
import io.ecgsentinel.flink.demo.GroundTruth;
import io.ecgsentinel.flink.functions.AlertDecider;
import io.ecgsentinel.flink.functions.FrameBuffer;
import io.ecgsentinel.flink.functions.ModelScorer;
import io.ecgsentinel.flink.functions.WindowAnalyzer;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.models.serve.DefaultModel;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * Development tool: replays WFDB records through the job's keyed operators (frame buffer, window
 * analyzer, the LSTM scorer, alert decider) as operator harnesses, without Kafka and without the
 * wall clock, and scores the alerts exactly as {@code ./ecg demo --replay} does. It answers in
 * minutes what the real-time replay answers in much longer, so the rule thresholds can be checked
 * against every record; the demo remains the end-to-end proof.
 *
 * <p>The harnesses are wired as the job wires its operators: each stage gets the records and
 * watermarks the one before it emitted, in their order, and the scorer's batching timer runs on the
 * event time (as at speed 1), so it holds watermarks back while windows wait for a batch exactly as
 * in the job ({@code ReplayScoreTest}).
 *
 * <p>Usage (test classpath): {@code ReplayScore DATA_DIR [records,...|all] [threads] [model|none]}.
 */
public final class ReplayScore {

    static final long T0 = 1_700_000_000_000_000L + Long.getLong("rs.offsetMicros", 0L);

    private ReplayScore() {}

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        List<String> wanted = args.length > 1 && !args[1].equals("all") ? Arrays.asList(args[1].split(",")) : null;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String modelArg = args.length > 3 ? args[3] : "default";
        ModelInfo model = null;
        if (!modelArg.equals("none")) {
            Path m = modelArg.equals("default") ? DefaultModel.path() : Paths.get(modelArg);
            model = ModelInfo.resolve(JobConfig.fromMap(Map.of("model.dir", m.toString())));
        }
        List<Path> heads;
        try (Stream<Path> s = Files.list(dir)) {
            heads = s.filter(p -> p.toString().endsWith(".hea")).sorted()
                    .filter(p -> wanted == null || wanted.contains(p.getFileName().toString().replace(".hea", "")))
                    .toList();
        }
        JobConfig cfg = JobConfig.fromMap(Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<AlarmScorer.Truth> truth = Collections.synchronizedList(new ArrayList<>());
        List<AlarmScorer.Raised> raised = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> jobs = new ArrayList<>();
        final ModelInfo mi = model;
        for (Path hea : heads) {
            jobs.add(pool.submit(() -> {
                String name = hea.getFileName().toString().replace(".hea", "");
                EcgSignal sig = EcgSignal.read(hea);
                List<Annotation> ann = Files.exists(hea.resolveSibling(name + ".atr"))
                        ? AnnotationReader.read(hea.resolveSibling(name), "atr") : List.of();
                truth.addAll(GroundTruth.fromAnnotations(name, ann, sig.length(), sig.samplingFrequency()));
                List<AlertEvent> alerts = run(cfg, mi, name, sig);
                Map<String, Double> cleared = new HashMap<>();
                for (AlertEvent a : alerts) {
                    if (a.state().equals("CLEARED")) {
                        // event time of the clearing window, as the demo scores it (detectionTime is wall clock)
                        cleared.put(a.id(), (a.spanEndMicros() - T0) / 1e6);
                    }
                }
                for (AlertEvent a : alerts) {
                    if (a.state().equals("RAISED")) {
                        raised.add(new AlarmScorer.Raised(name, a.type(), (a.spanEndMicros() - T0) / 1e6,
                                (a.onsetTimeMicros() - T0) / 1e6, cleared.getOrDefault(a.id(), Double.POSITIVE_INFINITY)));
                        System.out.printf(Locale.ROOT, "%s %8.1f %-26s %s%n", name, (a.spanEndMicros() - T0) / 1e6,
                                a.type(), a.text());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        pool.shutdown();
        AlarmScorer score = new AlarmScorer(truth, raised);
        score.details().forEach(d -> System.out.println("  " + d));
        System.out.print(score.table());
        System.out.println();
    }

    /** With -Drs.dump=RECORD:FROM_S:TO_S, prints the beats and model verdicts of that stretch. */
    static void dump(String name, WindowAnalysis x) {
        String spec = System.getProperty("rs.dump");
        if (spec == null || !spec.startsWith(name + ":")) {
            return;
        }
        String[] p = spec.split(":");
        double from = Double.parseDouble(p[1]);
        double to = Double.parseDouble(p[2]);
        double end = (x.windowEndMicros() - T0) / 1e6;
        if (end < from || end > to) {
            return;
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "W %.1f per=%.2f@%.0f q=%.2f beats:", end,
                x.periodicity(), x.periodicBpm(), x.qualityIndex()));
        for (int i = 0; i < x.beatMicros().length; i++) {
            b.append(String.format(Locale.ROOT, " %.2f(w%.0f%s)", (x.beatMicros()[i] - T0) / 1e6, x.beatWidthMs()[i],
                    x.beatWide()[i] ? "W" : ""));
        }
        b.append(" | scored:");
        for (int i = 0; i < x.scoredBeatMicros().length; i++) {
            b.append(String.format(Locale.ROOT, " %.2f(p%.2f%s)", (x.scoredBeatMicros()[i] - T0) / 1e6,
                    x.beatVProb()[i], x.beatModelV()[i] > 0.5f ? "V" : ""));
        }
        System.out.println(b);
    }

    /** Hands the decider everything the scorer emitted since the last call (records and watermarks, in order). */
    private static void drain(OneInputStreamOperatorTestHarness<WindowAnalysis, WindowAnalysis> scorer,
            KeyedOneInputStreamOperatorTestHarness<String, WindowAnalysis, AlertEvent> decider, String name)
            throws Exception {
        Object o;
        while ((o = scorer.getOutput().poll()) != null) {
            if (o instanceof StreamRecord<?> r) {
                WindowAnalysis x = (WindowAnalysis) r.getValue();
                dump(name, x);
                decider.processElement(x, x.windowEndMicros() / 1000);
            } else if (o instanceof Watermark w) {
                decider.processWatermark(w);
            }
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Frame, AnalysisWindow> bufferHarness(JobConfig cfg)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new FrameBuffer(
                cfg.windowSeconds(), cfg.hopSeconds(), cfg.quietSeconds(),
                cfg.outOfOrdernessMillis() / 1000.0 + cfg.hopSeconds())), new EcgPipeline.FramePatient(), Types.STRING);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, AnalysisWindow, WindowAnalysis> analyzerHarness(
            JobConfig cfg, ModelInfo model) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new WindowAnalyzer(
                model == null ? null : model.preprocessing(), cfg.quietSeconds(), cfg.qualityIntervalSeconds())),
                new EcgPipeline.WindowPatient(), Types.STRING);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, WindowAnalysis, AlertEvent> deciderHarness(
            JobConfig cfg, ModelInfo model) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new AlertDecider(
                cfg.hopSeconds(), cfg.stormMaxRaises(), cfg.stormWindowSeconds(), cfg.quietSeconds(),
                model == null ? null : model.name(), model == null ? null : model.version())),
                new EcgPipeline.AnalysisPatient(), Types.STRING);
    }

    /**
     * A keyed harness that continued from a checkpoint of {@code h} (snapshot, then a fresh harness
     * initialised from it), as after a job restart: with -Drs.restoreSeconds=S every S seconds of signal.
     */
    static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> restored(
            KeyedOneInputStreamOperatorTestHarness<String, I, O> h,
            java.util.concurrent.Callable<KeyedOneInputStreamOperatorTestHarness<String, I, O>> fresh, long id)
            throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snap = h.snapshot(id, id);
        if (Boolean.getBoolean("rs.stateSizes")) {
            System.out.printf(Locale.ROOT, "state %s checkpoint %d: %d bytes%n",
                    h.getOperator().getClass().getSimpleName() + "(" + ((KeyedProcessOperator<?, ?, ?>) h.getOperator())
                            .getUserFunction().getClass().getSimpleName() + ")", id, snap.getStateSize());
        }
        h.close();
        KeyedOneInputStreamOperatorTestHarness<String, I, O> n = fresh.call();
        n.initializeState(snap);
        n.open();
        return n;
    }

    static List<AlertEvent> run(JobConfig cfg, ModelInfo model, String name, EcgSignal sig) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Frame, AnalysisWindow> buffer = bufferHarness(cfg);
        KeyedOneInputStreamOperatorTestHarness<String, AnalysisWindow, WindowAnalysis> analyzer =
                analyzerHarness(cfg, model);
        OneInputStreamOperatorTestHarness<WindowAnalysis, WindowAnalysis> scorer = model == null ? null
                : new OneInputStreamOperatorTestHarness<>(new ModelScorer(model.directory(), cfg.modelBatchSize(),
                        cfg.modelMaxWaitMillis()), TypeInformation.of(WindowAnalysis.class).createSerializer(
                                new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        KeyedOneInputStreamOperatorTestHarness<String, WindowAnalysis, AlertEvent> decider = deciderHarness(cfg, model);
        long restoreSamples = (long) (Double.parseDouble(System.getProperty("rs.restoreSeconds", "0"))
                * sig.samplingFrequency());
        long nextRestore = restoreSamples > 0 ? restoreSamples : Long.MAX_VALUE;
        long checkpointId = 0;
        List<AlertEvent> out = new ArrayList<>();
        buffer.open();
        analyzer.open();
        if (scorer != null) {
            scorer.open();
        }
        decider.open();
        int fs = (int) Math.round(sig.samplingFrequency());
        // -Drs.frameMs=MS: frame length (default 200 ms, as the demo's replay)
        int frame = Math.max(1, (int) Math.round(fs * Long.getLong("rs.frameMs", 200L) / 1000.0));
        float[] gain = new float[sig.leadCount()];
        Arrays.fill(gain, 200f);
        int windowsSeen = 0;
        int analysesSeen = 0;
        long seq = 0;
        for (int pos = 0; pos < sig.length(); pos += frame) {
            int n = Math.min(frame, sig.length() - pos);
            float[][] mv = new float[sig.leadCount()][];
            for (int k = 0; k < mv.length; k++) {
                mv[k] = Arrays.copyOfRange(sig.millivolts()[k], pos, pos + n);
            }
            long start = T0 + (long) pos * 1_000_000L / fs;
            EcgFrame ef = EcgFrames.builder(name, "replay-" + name, seq++, start, fs, sig.leadNames(), mv, gain).build();
            // int16 ADC values with their scale and baseline, as the job's decoder hands frames on
            short[][] adc = new short[mv.length][n];
            float[] scale = new float[mv.length];
            int[] baseline = new int[mv.length];
            for (int k = 0; k < mv.length; k++) {
                EcgFrames.adcLead(ef, k, adc[k], 0);
                scale[k] = EcgFrames.scale(ef, k);
                baseline[k] = ef.getBaseline().get(k);
            }
            Frame f = new Frame(name, ef.getDeviceId(), ef.getSequence(), start, fs,
                    ef.getLeads().toArray(new String[0]), adc, scale, baseline, null, new boolean[mv.length], 0L,
                    "replay", 0, seq, new byte[0]);
            long ts = Math.floorDiv(f.endTimeMicros(), 1000);
            buffer.processElement(f, ts);
            buffer.processWatermark(ts - 1);
            List<AnalysisWindow> w = buffer.extractOutputValues();
            for (int i = windowsSeen; i < w.size(); i++) {
                analyzer.processElement(w.get(i), w.get(i).endMicros() / 1000);
            }
            windowsSeen = w.size();
            analyzer.processWatermark(ts - 1);
            List<WindowAnalysis> a = analyzer.extractOutputValues();
            if (scorer != null) {
                // the scorer's batching timer runs on processing time: here the event time (speed 1)
                scorer.setProcessingTime(ts);
                for (int i = analysesSeen; i < a.size(); i++) {
                    scorer.processElement(new StreamRecord<>(a.get(i), a.get(i).windowEndMicros() / 1000));
                }
                scorer.processWatermark(ts - 1);
                // the decider sees what the scorer emitted, in its order: the scorer holds watermarks
                // back while windows wait for a batch, and a decider whose watermark ran ahead of its
                // windows would take the patient for quiet and forget it
                drain(scorer, decider, name);
            } else {
                for (int i = analysesSeen; i < a.size(); i++) {
                    dump(name, a.get(i));
                    decider.processElement(a.get(i), a.get(i).windowEndMicros() / 1000);
                }
                decider.processWatermark(ts - 1);
            }
            analysesSeen = a.size();
            if (pos + n >= nextRestore) {
                // everything emitted so far has been taken; continue from a checkpoint of each keyed operator
                nextRestore += restoreSamples;
                checkpointId++;
                if (scorer != null) {
                    scorer.prepareSnapshotPreBarrier(checkpointId); // flushes, as before a checkpoint barrier
                    drain(scorer, decider, name);
                }
                out.addAll(decider.extractOutputValues());
                buffer = restored(buffer, () -> bufferHarness(cfg), checkpointId);
                analyzer = restored(analyzer, () -> analyzerHarness(cfg, model), checkpointId);
                decider = restored(decider, () -> deciderHarness(cfg, model), checkpointId);
                windowsSeen = 0;
                analysesSeen = 0;
            }
        }
        out.addAll(decider.extractOutputValues());
        buffer.close();
        analyzer.close();
        if (scorer != null) {
            scorer.close();
        }
        decider.close();
        return out;
    }
}
