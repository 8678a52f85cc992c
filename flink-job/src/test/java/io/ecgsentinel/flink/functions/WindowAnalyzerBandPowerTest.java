package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.quality.BandPowerStream;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The analyzer keeps one running band-power stream per lead in the patient's keyed state: every
 * verdict feeds it the samples since the last one instead of restarting the noise filters, so each
 * sample is filtered once. A stream restarts only where the signal does (after a gap), also when
 * the frame buffer's stream begins at an arbitrary index (a restarted stream), and the 12 streams
 * add about 5.5 KB to the patient's state.
 */
class WindowAnalyzerBandPowerTest {

    private static final int FS = 250;
    private static final String PATIENT = "band";

    /** The frame buffer's windows of 60 s of a 12-lead patient, without the frames in [dropFrom, dropTo) s. */
    private static List<AnalysisWindow> windows(double dropFrom, double dropTo) throws Exception {
        SyntheticPatient p = new SyntheticPatient(PATIENT, "bedside-1", 5, Scenario.parse(""), FS, StandardLead.ALL,
                1_700_000_000_000_000L, 25);
        try (var buffer = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new FrameBuffer(10, 1, 60, 3),
                new EcgPipeline.FramePatient(), Types.STRING)) {
            buffer.open();
            while (p.position() < 60L * FS) {
                double t = (double) p.position() / FS;
                Frame f = OperatorChain.toFrame(p.nextFrame());
                long ts = Math.floorDiv(f.endTimeMicros(), 1000);
                if (t < dropFrom || t >= dropTo) {
                    buffer.processElement(f, ts);
                }
                buffer.processWatermark(ts - 1);
            }
            return new ArrayList<>(buffer.extractOutputValues());
        }
    }

    /** The same windows at stream indices {@code shift} later (a stream the buffer restarted mid-count). */
    private static List<AnalysisWindow> shifted(List<AnalysisWindow> ws, long shift) {
        List<AnalysisWindow> out = new ArrayList<>();
        for (AnalysisWindow w : ws) {
            out.add(new AnalysisWindow(w.patientId(), w.deviceId(), w.leads(), w.sampleRateHz(),
                    w.startSample() + shift, w.startMicros(), w.samples(), w.newSamples(), w.missingSamples(),
                    w.leadOff(), w.streamEpoch(), w.latestArrivalMillis()));
        }
        return out;
    }

    /** What the streams did over a run: their distinct start positions per lead and the verdicts served. */
    private record Run(List<Set<Long>> starts, int verdicts, int streamed, WindowAnalyzer.DetectorState last) {}

    private static Run run(List<AnalysisWindow> windows) throws Exception {
        var op = new KeyedProcessOperator<>(new WindowAnalyzer(null, 60,
                JobConfig.defaultConfig().qualityIntervalSeconds()));
        List<Set<Long>> starts = new ArrayList<>();
        int verdicts = 0;
        int streamed = 0;
        WindowAnalyzer.DetectorState st = null;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, new EcgPipeline.WindowPatient(), Types.STRING)) {
            h.open();
            long judgedAt = Long.MIN_VALUE;
            long[] before = null;
            for (AnalysisWindow w : windows) {
                h.processElement(w, w.endMicros() / 1000);
                st = state(op);
                if (st.qualityAtMicros == judgedAt || st.quality[0] == null) {
                    continue; // no verdict in this window (or too little signal for one): streams untouched
                }
                judgedAt = st.qualityAtMicros;
                verdicts++;
                boolean kept = before != null;
                for (int k = 0; k < st.bandPower.length; k++) {
                    BandPowerStream b = st.bandPower[k];
                    if (starts.size() <= k) {
                        starts.add(new TreeSet<>());
                    }
                    if (!b.isEmpty()) {
                        starts.get(k).add(b.start());
                        assertThat(b.fedUpTo()).as("fed up to the window end").isEqualTo(w.endSample() - st.origin);
                    }
                    kept = kept && !b.isEmpty() && before[k] == b.start();
                }
                streamed += kept ? 1 : 0;
                before = new long[st.bandPower.length];
                for (int k = 0; k < before.length; k++) {
                    before[k] = st.bandPower[k].isEmpty() ? Long.MIN_VALUE : st.bandPower[k].start();
                }
            }
        }
        return new Run(starts, verdicts, streamed, st);
    }

    private static WindowAnalyzer.DetectorState state(KeyedProcessOperator<String, AnalysisWindow, WindowAnalysis> op)
            throws Exception {
        op.getKeyedStateBackend().setCurrentKey(PATIENT);
        ValueState<WindowAnalyzer.DetectorState> s = op.getKeyedStateBackend().getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("analyzer-state", WindowAnalyzer.DetectorStateSerializer.INSTANCE));
        return s.value();
    }

    @Test
    void eachLeadStreamStartsOnceAndServesEveryLaterVerdict() throws Exception {
        Run r = run(windows(-1, -1));
        assertThat(r.starts()).hasSize(12);
        for (Set<Long> s : r.starts()) {
            assertThat(s).as("one start per lead: the first verdict's first sample").hasSize(1);
        }
        assertThat(r.verdicts()).isGreaterThan(25);
        assertThat(r.streamed()).as("every verdict after the first streamed").isEqualTo(r.verdicts() - 1);
    }

    @Test
    void aStreamBeginningAtAnArbitraryIndexStreamsToo() throws Exception {
        // 12,345 is on no block grid of stream indices (125 samples): the streams count from the
        // state's origin, a window start, so the windows' hop grid is their block grid.
        Run r = run(shifted(windows(-1, -1), 12_345));
        for (Set<Long> s : r.starts()) {
            assertThat(s).hasSize(1);
        }
        assertThat(r.streamed()).isEqualTo(r.verdicts() - 1);
    }

    @Test
    void aGapRestartsTheStreamsOnce() throws Exception {
        long first = run(windows(-1, -1)).starts().get(0).iterator().next();
        Run r = run(windows(30.0, 33.0));
        for (Set<Long> s : r.starts()) {
            // the first frame's sample, then the first sample after the 3 s without frames
            assertThat(s).as("started at the first verdict and again after the gap").containsExactly(first,
                    first + 33L * FS);
        }
        assertThat(r.streamed()).isEqualTo(r.verdicts() - 2);
    }

    @Test
    void theStreamsAreASmallPartOfTheState() throws Exception {
        WindowAnalyzer.DetectorState st = run(windows(-1, -1)).last();
        DataOutputSerializer with = new DataOutputSerializer(4096);
        WindowAnalyzer.DetectorStateSerializer.INSTANCE.serialize(st, with);
        BandPowerStream[] bands = st.bandPower;
        st.bandPower = null;
        DataOutputSerializer without = new DataOutputSerializer(4096);
        WindowAnalyzer.DetectorStateSerializer.INSTANCE.serialize(st, without);
        st.bandPower = bands;
        // 12 x (a 10-value filter state + 2 x 21 block sums + a few scalars): about 5.5 KB
        assertThat(with.length() - without.length()).isBetween(5000, 6000);
    }
}
