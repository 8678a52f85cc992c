package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The analyzer's keyed state survives a checkpoint and restore through its binary serializer
 * ({@link WindowAnalyzer.DetectorStateSerializer}): a run snapshotted and restored into a new
 * operator part-way produces exactly the analyses of an uninterrupted run (beats, model inputs
 * from the streaming preprocessing chain, quality verdicts), and state in another format is refused
 * with a message.
 */
class WindowAnalyzerRestoreTest {

    private static final int FS = 250;

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

    @Test
    void aRestoredAnalyzerContinuesExactlyLikeAnUninterruptedOne() throws Exception {
        Map<String, String> pre = PreprocessingConfig.defaults(FS).toMap();
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
        assertThat(windows).hasSizeGreaterThan(25);

        List<WindowAnalysis> uninterrupted;
        try (var h = harness(pre)) {
            h.open();
            for (AnalysisWindow w : windows) h.processElement(w, w.endMicros() / 1000);
            uninterrupted = new ArrayList<>(h.extractOutputValues());
        }
        int cut = 17; // inside the bigeminy, with beats pending and the preprocessing chain warm
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
        }
        assertThat(uninterrupted.stream().mapToInt(a -> a.scoredBeatMicros().length).sum()).isGreaterThan(20);
        assertThat(canonical(joined)).containsExactlyElementsOf(canonical(uninterrupted));
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
