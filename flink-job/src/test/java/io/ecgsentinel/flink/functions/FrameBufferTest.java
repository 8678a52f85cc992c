package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.DeadLetterEvent;
import io.ecgsentinel.flink.records.Frame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Harness tests of the keyed frame buffer: windows, gaps, out-of-order frames, bad sequences, state cleanup. */
class FrameBufferTest {

    static final int FS = 100;
    static final int N = 25; // samples per frame (0.25 s)
    static final long T0 = 1_700_000_000_000_000L; // micros

    /** Frame {@code seq} of a 2-lead device whose sample i has value i (lead 0) and -i (lead 1). */
    static Frame frame(String patient, long seq) {
        float[][] x = new float[2][N];
        for (int i = 0; i < N; i++) {
            long idx = seq * N + i;
            x[0][i] = idx;
            x[1][i] = -idx;
        }
        return new Frame(patient, "bedside-7", seq, T0 + seq * N * 1_000_000L / FS, FS,
                new String[] {"II", "V5"}, x, new boolean[2], 0L, "t", 0, seq, new byte[] {1});
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Frame, AnalysisWindow> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new FrameBuffer(2.0, 0.5, 10.0, 5.0), new EcgPipeline.FramePatient(), Types.STRING);
    }

    static void push(KeyedOneInputStreamOperatorTestHarness<String, Frame, AnalysisWindow> h, Frame f) throws Exception {
        h.processElement(f, Math.floorDiv(f.endTimeMicros(), 1000));
    }

    static List<AnalysisWindow> run(List<Long> order, long watermarkMillis) throws Exception {
        try (var h = harness()) {
            h.open();
            for (long s : order) {
                push(h, frame("p1", s));
            }
            h.processWatermark(watermarkMillis);
            return h.extractOutputValues();
        }
    }

    @Test
    void emitsSlidingWindowsOfTheConfiguredLengthAndHop() throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (long s = 0; s < 20; s++) { // 5 s of signal
            seqs.add(s);
        }
        List<AnalysisWindow> all = run(seqs, T0 / 1000 + 5_000);
        // stream index 0 is 5 s (the reorder allowance) before the first frame; windows of 2 s every
        // 0.5 s: three lead in with a partial gap, then the full ones ending at 2.0, 2.5, ..., 5.0 s
        List<AnalysisWindow> w = all.stream().filter(a -> a.missingSamples() == 0).toList();
        assertThat(all).hasSize(10);
        assertThat(all.get(0).missingSamples()).isEqualTo(150);
        assertThat(w).hasSize(7);
        for (int k = 0; k < w.size(); k++) {
            AnalysisWindow a = w.get(k);
            assertThat(a.length()).isEqualTo(200);
            assertThat(a.startMicros()).isEqualTo(T0 + 500_000L * k);
            assertThat(a.newSamples()).isEqualTo(50);
            assertThat(a.endSample() - all.get(0).endSample()).isEqualTo(50L * (k + 3));
            for (int i = 0; i < 200; i++) {
                assertThat(a.samples()[0][i]).isEqualTo((float) (50 * k + i));
                assertThat(a.samples()[1][i]).isEqualTo((float) -(50 * k + i));
            }
        }
    }

    @Test
    void outOfOrderFramesGiveTheSameWindowsAsInOrderOnes() throws Exception {
        List<Long> inOrder = new ArrayList<>();
        for (long s = 0; s < 20; s++) {
            inOrder.add(s);
        }
        List<Long> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, new java.util.Random(7));
        List<AnalysisWindow> a = run(inOrder, T0 / 1000 + 5_000).stream()
                .filter(x -> x.missingSamples() == 0).toList();
        List<AnalysisWindow> b = run(shuffled, T0 / 1000 + 5_000).stream()
                .filter(x -> x.missingSamples() == 0).toList();
        assertThat(a).hasSize(7);
        assertThat(b).hasSameSizeAs(a);
        for (int k = 0; k < a.size(); k++) {
            assertThat(b.get(k).samples()).isDeepEqualTo(a.get(k).samples());
            assertThat(b.get(k).startMicros()).isEqualTo(a.get(k).startMicros());
        }
    }

    @Test
    void completeWindowsGoOutBeforeTheWatermarkAndOneWithAHoleWaitsForItsLateFrame() throws Exception {
        try (var h = harness()) {
            h.open();
            for (long s = 0; s < 8; s++) {
                push(h, frame("p1", s));
            }
            h.processWatermark(T0 / 1000 + 2_000); // the lead-in before the first frame, up to 2.0 s
            int before = h.extractOutputValues().size();
            assertThat(h.extractOutputValues().get(before - 1).endMicros()).isEqualTo(T0 + 2_000_000L);
            for (long s = 8; s < 20; s++) {
                if (s != 13) {
                    push(h, frame("p1", s)); // no watermark from here on
                }
            }
            // 2.5 s and 3.0 s are complete; 3.5 s lacks frame 13 (3.25-3.5 s) and holds back the rest
            List<AnalysisWindow> early = h.extractOutputValues().subList(before, h.extractOutputValues().size());
            assertThat(early).extracting(AnalysisWindow::endMicros)
                    .containsExactly(T0 + 2_500_000L, T0 + 3_000_000L);
            push(h, frame("p1", 13)); // late, but before the watermark passed its window
            List<AnalysisWindow> all = h.extractOutputValues().subList(before, h.extractOutputValues().size());
            assertThat(all).extracting(AnalysisWindow::endMicros).containsExactly(T0 + 2_500_000L, T0 + 3_000_000L,
                    T0 + 3_500_000L, T0 + 4_000_000L, T0 + 4_500_000L, T0 + 5_000_000L);
            assertThat(all).allSatisfy(a -> assertThat(a.missingSamples()).isZero());
            AnalysisWindow w = all.get(2);
            assertThat(w.samples()[0][w.length() - 1]).isEqualTo((float) (14 * N - 1));
        }
    }

    @Test
    void aMissingFrameIsAMarkedGapNotInterpolated() throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (long s = 0; s < 8; s++) {
            if (s != 5) {
                seqs.add(s);
            }
        }
        List<AnalysisWindow> w = run(seqs, T0 / 1000 + 2_000);
        AnalysisWindow a = w.get(w.size() - 1);
        assertThat(a.startMicros()).isEqualTo(T0);
        assertThat(a.missingSamples()).isEqualTo(N);
        for (int i = 0; i < 200; i++) {
            boolean inGap = i >= 5 * N && i < 6 * N;
            if (inGap) {
                assertThat(a.samples()[0][i]).isNaN();
                assertThat(a.samples()[1][i]).isNaN();
            } else {
                assertThat(a.samples()[0][i]).isEqualTo((float) i);
            }
        }
    }

    @Test
    void duplicateRegressingAndLateFramesAreDeadLettered() throws Exception {
        try (var h = harness()) {
            h.open();
            for (long s = 0; s < 100; s++) {
                push(h, frame("p1", s));
            }
            h.processWatermark(T0 / 1000 + 20_000);
            push(h, frame("p1", 100)); // fine (it may complete a window, which then goes out at once)
            int windows = h.extractOutputValues().size();
            push(h, frame("p1", 99)); // duplicate
            push(h, frame("p1", 3)); // 97 behind, earlier in time
            Frame late = frame("p1", 40);
            // a frame with a fresh sequence number but samples the buffer has already analysed
            Frame tooLate = new Frame("p1", "bedside-8", 0, late.firstSampleTimeMicros(), FS, late.leads(),
                    late.samples(), late.leadOff(), 0L, "t", 0, 999, new byte[] {2});
            push(h, tooLate);
            ConcurrentLinkedQueue<StreamRecord<DeadLetterEvent>> dlq = h.getSideOutput(DecodeAndValidate.DEAD_LETTERS);
            assertThat(dlq).extracting(r -> r.getValue().reason())
                    .containsExactly("DUPLICATE_SEQUENCE", "REGRESSING_SEQUENCE", "TOO_LATE");
            assertThat(dlq).extracting(r -> r.getValue().offset()).containsExactly(99L, 3L, 999L);
            assertThat(dlq).allSatisfy(r -> assertThat(r.getValue().message()).doesNotContain("p1"));
            assertThat(h.extractOutputValues()).hasSize(windows);
        }
    }

    @Test
    void stateIsClearedWhenThePatientGoesQuiet() throws Exception {
        try (var h = harness()) {
            h.open();
            for (long s = 0; s < 40; s++) {
                push(h, frame("p1", s));
                push(h, frame("p2", s));
            }
            h.processWatermark(T0 / 1000 + 10_000);
            assertThat(h.numKeyedStateEntries()).isPositive();
            for (long s = 40; s < 80; s++) {
                push(h, frame("p2", s)); // p2 keeps streaming
            }
            h.processWatermark(T0 / 1000 + 20_000); // > 10 s after p1's last sample
            int p2Entries = h.numKeyedStateEntries();
            assertThat(p2Entries).isPositive();
            h.processWatermark(T0 / 1000 + 40_000); // p2 quiet as well
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
