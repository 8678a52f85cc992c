package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.core.quality.BandPowerStream;
import io.ecgsentinel.core.quality.SignalQuality;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The analyzer's keyed state survives a checkpoint and restore through its binary serializer
 * ({@link WindowAnalyzer.DetectorStateSerializer}): a run snapshotted and restored into a new
 * operator part-way produces exactly the analyses of an uninterrupted run (beats, model inputs
 * from the streaming preprocessing chain, quality verdicts from the running band-power streams), a
 * state written by the job before the band-power streams (format 2, a file written by commit
 * 714465c) still restores and carries on, and state in another format is refused with a message.
 */
class WindowAnalyzerRestoreTest {

    private static final int FS = 250;
    /** Analyzer state of patient "restore" after {@link #CUT} windows, model off, written in format 2. */
    private static final String FORMAT_2 = "/state/analyzer-state-format2.bin";
    private static final int CUT = 17;

    private static WindowAnalyzer analyzer(Map<String, String> pre) {
        return new WindowAnalyzer(pre, 60, JobConfig.defaultConfig().qualityIntervalSeconds());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AnalysisWindow, WindowAnalysis> harness(
            Map<String, String> pre) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(analyzer(pre)),
                new EcgPipeline.WindowPatient(), Types.STRING);
    }

    /** Every component of every analysis, arrays by content, as text. */
    private static List<String> canonical(List<WindowAnalysis> as) throws Exception {
        List<String> out = new ArrayList<>();
        for (WindowAnalysis a : as) {
            StringBuilder b = new StringBuilder();
            for (RecordComponent c : WindowAnalysis.class.getRecordComponents()) {
                Object v = c.getAccessor().invoke(a);
                String s = v instanceof float[] f ? Arrays.toString(f) : v instanceof long[] l ? Arrays.toString(l)
                        : v instanceof boolean[] z ? Arrays.toString(z) : v instanceof Object[] o ? Arrays.toString(o)
                        : String.valueOf(v);
                b.append(c.getName()).append('=').append(s).append(';');
            }
            out.add(b.toString());
        }
        return out;
    }

    /** The windows of the restore scenario (the format-2 file was written after the first 17 of them). */
    private static List<AnalysisWindow> scenarioWindows() throws Exception {
        SyntheticPatient p = new SyntheticPatient("restore", "bedside-1", 11,
                Scenario.parse("at 12s BIGEMINY for 10s"), FS, StandardLead.ALL, 1_700_000_000_000_000L, 25);
        List<AnalysisWindow> windows;
        try (var buffer = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new FrameBuffer(10, 1, 60, 3),
                new EcgPipeline.FramePatient(), Types.STRING)) {
            buffer.open();
            while (p.position() < 40L * FS) {
                Frame f = OperatorChain.toFrame(p.nextFrame());
                long ts = Math.floorDiv(f.endTimeMicros(), 1000);
                buffer.processElement(f, ts);
                buffer.processWatermark(ts - 1);
            }
            windows = new ArrayList<>(buffer.extractOutputValues());
        }
        return windows;
    }

    private static ValueState<WindowAnalyzer.DetectorState> state(
            KeyedOneInputStreamOperatorTestHarness<String, AnalysisWindow, WindowAnalysis> h) throws Exception {
        KeyedProcessOperator<?, ?, ?> op = (KeyedProcessOperator<?, ?, ?>) h.getOneInputOperator();
        op.getKeyedStateBackend().setCurrentKey("restore");
        return op.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("analyzer-state", WindowAnalyzer.DetectorStateSerializer.INSTANCE));
    }

    @Test
    void aRestoredAnalyzerContinuesExactlyLikeAnUninterruptedOne() throws Exception {
        Map<String, String> pre = PreprocessingConfig.defaults(FS).toMap();
        List<AnalysisWindow> windows = scenarioWindows();
        assertThat(windows).hasSizeGreaterThan(25);

        List<WindowAnalysis> uninterrupted;
        byte[] uninterruptedState;
        try (var h = harness(pre)) {
            h.open();
            for (AnalysisWindow w : windows) h.processElement(w, w.endMicros() / 1000);
            uninterrupted = new ArrayList<>(h.extractOutputValues());
            uninterruptedState = org.apache.flink.util.InstantiationUtil.serializeObject(state(h).value());
        }
        int cut = CUT; // inside the bigeminy, with beats pending and the preprocessing chain warm
        List<WindowAnalysis> joined = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(pre)) {
            h.open();
            for (AnalysisWindow w : windows.subList(0, cut)) h.processElement(w, w.endMicros() / 1000);
            joined.addAll(h.extractOutputValues());
            snapshot = h.snapshot(1, windows.get(cut - 1).endMicros() / 1000);
        }
        try (var h = harness(pre)) {
            h.initializeState(snapshot);
            h.open();
            for (AnalysisWindow w : windows.subList(cut, windows.size())) h.processElement(w, w.endMicros() / 1000);
            joined.addAll(h.extractOutputValues());
            // the whole state too: the latest verdicts (HF ratios included) and the band-power streams,
            // which the analyses of this clean signal would not show (its HF ratios never reach the index)
            assertThat(org.apache.flink.util.InstantiationUtil.serializeObject(state(h).value()))
                    .isEqualTo(uninterruptedState);
        }
        assertThat(uninterrupted.stream().mapToInt(a -> a.scoredBeatMicros().length).sum()).isGreaterThan(20);
        assertThat(canonical(joined)).containsExactlyElementsOf(canonical(uninterrupted));
    }

    /**
     * A savepoint of the job before the band-power streams restores: the format-2 state (written by
     * that job after {@link #CUT} windows) reads back with every field the new job keeps at the same
     * point, bar the streams (absent: they start at the next verdict) and the latest verdicts (the old
     * job's came from per-window filters); the restored analyzer then gives the uninterrupted new
     * job's analyses, its quality index within 0.01 (the streams restarted at the first verdict).
     */
    @Test
    void aFormat2StateStillRestores() throws Exception {
        byte[] bytes;
        try (InputStream in = WindowAnalyzerRestoreTest.class.getResourceAsStream(FORMAT_2)) {
            assertThat(in).as(FORMAT_2).isNotNull();
            bytes = in.readAllBytes();
        }
        assertThat(ByteBuffer.wrap(bytes).getInt()).isEqualTo(WindowAnalyzer.DetectorStateSerializer.MAGIC_2);
        WindowAnalyzer.DetectorState old = WindowAnalyzer.DetectorStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(bytes));
        assertThat(old.bandPower).isNull();
        assertThat(old.quality).hasSize(12);

        List<AnalysisWindow> windows = scenarioWindows();
        List<WindowAnalysis> uninterrupted;
        WindowAnalyzer.DetectorState atCut = null;
        try (var h = harness(null)) {
            h.open();
            for (int i = 0; i < windows.size(); i++) {
                AnalysisWindow w = windows.get(i);
                h.processElement(w, w.endMicros() / 1000);
                if (i == CUT - 1) {
                    atCut = WindowAnalyzer.DetectorStateSerializer.INSTANCE.copy(state(h).value());
                }
            }
            uninterrupted = new ArrayList<>(h.extractOutputValues());
        }
        assertThat(atCut.bandPower).hasSize(12);
        WindowAnalyzer.DetectorState a = WindowAnalyzer.DetectorStateSerializer.INSTANCE.copy(atCut);
        WindowAnalyzer.DetectorState b = WindowAnalyzer.DetectorStateSerializer.INSTANCE.copy(old);
        for (WindowAnalyzer.DetectorState st : List.of(a, b)) {
            st.bandPower = null;
            st.quality = null;
        }
        assertThat(org.apache.flink.util.InstantiationUtil.serializeObject(b))
                .isEqualTo(org.apache.flink.util.InstantiationUtil.serializeObject(a));

        List<WindowAnalysis> restored;
        try (var h = harness(null)) {
            h.open();
            state(h).update(old);
            for (AnalysisWindow w : windows.subList(CUT, windows.size())) h.processElement(w, w.endMicros() / 1000);
            restored = new ArrayList<>(h.extractOutputValues());
            assertThat(state(h).value().bandPower).as("streams started after the restore").hasSize(12)
                    .allMatch(s -> !s.isEmpty());
        }
        List<WindowAnalysis> expected = uninterrupted.subList(CUT, uninterrupted.size());
        assertThat(restored).hasSameSizeAs(expected);
        for (int i = 0; i < restored.size(); i++) {
            assertThat(restored.get(i).qualityIndex()).isCloseTo(expected.get(i).qualityIndex(), within(0.01f));
        }
        assertThat(canonical(withoutIndex(restored))).containsExactlyElementsOf(canonical(withoutIndex(expected)));
    }

    private static List<WindowAnalysis> withoutIndex(List<WindowAnalysis> as) {
        List<WindowAnalysis> out = new ArrayList<>();
        for (WindowAnalysis a : as) {
            out.add(new WindowAnalysis(a.patientId(), a.deviceId(), a.epoch(), a.windowStartMicros(),
                    a.windowEndMicros(), a.readyUpToMicros(), a.lastGapMicros(), a.latestArrivalMillis(),
                    a.beatMicros(), a.beatWidthMs(), a.beatWide(), a.scoredBeatMicros(), a.beatVProb(),
                    a.beatModelV(), a.beatAfProb(), a.beatAnomaly(), a.heartRateBpm(), a.usableLeads(),
                    a.totalLeads(), a.leadOffLeads(), a.usableLeadNames(), Float.NaN, a.vfLike(), a.dominantHz(),
                    a.amplitudeMv(), a.periodicBpm(), a.periodicity(), a.modelEcg(), a.modelMask(), a.modelRr()));
        }
        return out;
    }

    /**
     * Every field survives the binary round trip: compared through Java serialization, which writes
     * all of them, so a field the binary form forgets fails here even where an analysis would not
     * show it (the refractory guard, the QRS amplitude average).
     */
    @Test
    void everyFieldOfTheStateRoundTrips() throws Exception {
        WindowAnalyzer.DetectorState st = new WindowAnalyzer.DetectorState();
        st.epoch = 3;
        st.fs = 360;
        st.leads = 2;
        st.origin = 123_456L;
        st.detector = new io.ecgsentinel.core.qrs.QrsDetector(360, 2);
        float[][] x = new float[2][360 * 20];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < x[k].length; i++) x[k][i] = (float) (i % 300 == 0 ? 1.2 : 0.01 * Math.sin(i * 0.07 + k));
        }
        st.detector.process(x, 0, x[0].length, (s, d) -> {});
        st.processedUpTo = 7200;
        st.pending = new long[] {7100};
        st.history = new long[] {6200, 6500, 6800};
        st.unscored = new long[] {6900, 7000};
        st.lastWindowEndMillis = 1_700_000_020_000L;
        st.lastGap = 4000;
        st.lastReported = 6800;
        st.amplitudeEma = 1.15;
        st.quality = new io.ecgsentinel.core.quality.LeadQuality[] {
            new io.ecgsentinel.core.quality.LeadQuality(false, true, false, true, false, 0.7, true, 0.3, -0.01, 0.02,
                    0.0, 0.4, 0.1, 0.01),
            null};
        st.qualityAtMicros = 1_700_000_020_000_000L;
        st.qualityDeviceOff = new boolean[] {false, true};
        st.preRows = new int[] {1, 0};
        st.preState = new double[] {0.5, -1.5, Double.NaN, 3e-9};
        st.preOrigin = 100;
        st.preFed = 7100;
        st.proc = new float[][] {{0.1f, 0.2f, Float.NaN}, {0.3f, 0.4f, 0.5f}};
        st.procStart = 1900;
        st.bandPower = new BandPowerStream[] {new BandPowerStream(), new BandPowerStream()};
        new SignalQuality(360).assess(x[1], 100, 3600, false, Double.NaN, Double.NaN, 700, null, st.bandPower[1]);
        assertThat(st.bandPower[1].isEmpty()).isFalse();
        DataOutputSerializer out = new DataOutputSerializer(4096);
        WindowAnalyzer.DetectorStateSerializer.INSTANCE.serialize(st, out);
        WindowAnalyzer.DetectorState back = WindowAnalyzer.DetectorStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(org.apache.flink.util.InstantiationUtil.serializeObject(back))
                .isEqualTo(org.apache.flink.util.InstantiationUtil.serializeObject(st));
        WindowAnalyzer.DetectorState copy = WindowAnalyzer.DetectorStateSerializer.INSTANCE.copy(st);
        assertThat(copy).isNotSameAs(st);
        assertThat(org.apache.flink.util.InstantiationUtil.serializeObject(copy))
                .isEqualTo(org.apache.flink.util.InstantiationUtil.serializeObject(st));
        // a fresh state (nulls, empty arrays, no detector) too
        WindowAnalyzer.DetectorState empty = new WindowAnalyzer.DetectorState();
        assertThat(org.apache.flink.util.InstantiationUtil.serializeObject(WindowAnalyzer.DetectorStateSerializer.INSTANCE.copy(empty)))
                .isEqualTo(org.apache.flink.util.InstantiationUtil.serializeObject(empty));
    }

    @Test
    void stateInAnotherFormatIsRefused() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(120_000); // what the earlier Java-serialized form began with: a length
        out.writeInt(0);
        assertThatThrownBy(() -> WindowAnalyzer.DetectorStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length())))
                .isInstanceOf(IOException.class).hasMessageContaining("another version of the job");
    }
}
