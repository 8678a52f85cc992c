package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.schemas.Alerts;
import io.ecgsentinel.schemas.avro.AlertType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The alert decider alone, as an operator harness fed hand-made window analyses (1 s hop, beats
 * reported 1 s behind each window's end as the analyzer does): persistence before raising, one
 * alert per episode, clearing with hysteresis, storm limits, suppression by bad signal and by a
 * higher alarm, deterministic ids, and no second raise after a restore from a snapshot.
 */
class AlertDeciderTest {

    private static final String PATIENT = "p-1";
    private static final long S = 1_000_000L;
    private static final String[] LEADS = {"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"};

    /** A patient's timeline: the beat times (µs) and which windows see every lead off. */
    private static final class Timeline {
        final List<Long> beats = new ArrayList<>();
        final java.util.Set<Long> wide = new java.util.HashSet<>();
        final List<long[]> leadOff = new ArrayList<>();

        /** One beat at {@code atS}, wide (150 ms, ventricular by the width rule) or narrow (90 ms). */
        Timeline beat(double atS, boolean isWide) {
            long t = Math.round(atS * S);
            beats.add(t);
            if (isWide) {
                wide.add(t);
            }
            return this;
        }

        Timeline sinus(double fromS, double toS, double bpm) {
            for (double t = fromS; t < toS; t += 60.0 / bpm) {
                beats.add(Math.round(t * S));
            }
            return this;
        }

        Timeline leadsOff(double fromS, double toS) {
            leadOff.add(new long[] {Math.round(fromS * S), Math.round(toS * S)});
            return this;
        }

        boolean off(long endMicros) {
            for (long[] span : leadOff) {
                if (endMicros > span[0] && endMicros <= span[1]) {
                    return true;
                }
            }
            return false;
        }

        /** As the analyzer reports it: the end of the newest window with every lead off, if any. */
        long lastGap(long endMicros) {
            long gap = Long.MIN_VALUE;
            for (long t = S; t <= endMicros; t += S) {
                if (off(t)) {
                    gap = t;
                }
            }
            return gap;
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowAnalysis, AlertEvent> harness(int maxRaises)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new AlertDecider(1, maxRaises, 600, 60, null, null), new EcgPipeline.AnalysisPatient(), Types.STRING);
        h.open();
        return h;
    }

    /** The analysis of the window ending at {@code endS}: beats final in (endS - 2, endS - 1]. */
    private static WindowAnalysis analysis(Timeline tl, int endS) {
        long end = endS * S;
        long ready = end - S;
        long[] beats = tl.beats.stream().mapToLong(Long::longValue).filter(b -> b > ready - S && b <= ready).toArray();
        float[] width = new float[beats.length];
        boolean[] isWide = new boolean[beats.length];
        for (int i = 0; i < beats.length; i++) {
            isWide[i] = tl.wide.contains(beats[i]);
            width[i] = isWide[i] ? 150f : 90f;
        }
        boolean off = tl.off(end);
        return new WindowAnalysis(PATIENT, "bed-1", 0, end - 10 * S, end, ready, tl.lastGap(end), 0L, beats, width,
                isWide, new long[0], new float[0], new float[0], new float[0], new float[0], 70f,
                off ? 0 : LEADS.length, LEADS.length, off ? LEADS : new String[0], off ? new String[0] : LEADS,
                off ? 0f : 0.9f, false, Float.NaN, 1.0f, Float.NaN, 0f, new float[0], new float[0], new float[0]);
    }

    private static List<AlertEvent> feed(KeyedOneInputStreamOperatorTestHarness<String, WindowAnalysis, AlertEvent> h,
            Timeline tl, int fromS, int toS) throws Exception {
        for (int t = fromS; t <= toS; t++) {
            WindowAnalysis a = analysis(tl, t);
            h.processElement(a, a.windowEndMicros() / 1000);
            h.processWatermark(a.windowEndMicros() / 1000 - 1);
        }
        return new ArrayList<>(h.extractOutputValues());
    }

    private static List<AlertEvent> of(List<AlertEvent> alerts, AlertType type, String state) {
        return alerts.stream().filter(a -> a.type().equals(type.name()) && a.state().equals(state)).toList();
    }

    @Test
    void anAsystoleIsRaisedOnceWithAStableIdAndClearedWhenBeatsReturn() throws Exception {
        // sinus until 30 s, no beat until 45 s, sinus again
        Timeline tl = new Timeline().sinus(0.4, 30, 75).sinus(45, 90, 75);
        long lastBeat = tl.beats.stream().filter(b -> b < 30 * S).max(Long::compare).orElseThrow();
        List<AlertEvent> out;
        try (var h = harness(6)) {
            out = feed(h, tl, 2, 90);
        }
        List<AlertEvent> raised = of(out, AlertType.ASYSTOLE, "RAISED");
        assertThat(raised).hasSize(1);
        AlertEvent a = raised.get(0);
        assertThat(a.onsetTimeMicros()).isEqualTo(lastBeat);
        assertThat(a.id()).isEqualTo(Alerts.deterministicId(PATIENT, AlertType.ASYSTOLE, lastBeat));
        assertThat(a.priority()).isEqualTo("HIGH");
        assertThat(a.text()).startsWith("No QRS complex for ");
        // raised as soon as 4 s of beat-free signal are final: the window ending 1 s after that
        assertThat(a.spanEndMicros() - lastBeat).isBetween(4 * S, 5 * S);
        // asystole implies bradycardia: no second alarm for the same pause
        assertThat(out).extracting(AlertEvent::type).containsOnly(AlertType.ASYSTOLE.name());
        List<AlertEvent> cleared = of(out, AlertType.ASYSTOLE, "CLEARED");
        assertThat(cleared).hasSize(1);
        assertThat(cleared.get(0).id()).isEqualTo(a.id());
        // cleared only after the beats have been back for the clear time (3 s), not at the first beat
        assertThat(cleared.get(0).spanEndMicros()).isGreaterThanOrEqualTo(45 * S + 3 * S);
        assertThat(cleared.get(0).spanEndMicros()).isLessThanOrEqualTo(45 * S + 9 * S);
    }

    @Test
    void leadOffNeedsPersistenceSurvivesAShortReconnectAndSuppressesArrhythmiaAlarms() throws Exception {
        // no beats at all while the leads are off: the asystole rule must not judge that signal
        Timeline tl = new Timeline().sinus(0.4, 20, 75).sinus(40, 80, 75)
                .leadsOff(10, 11) // one window: a flicker, no alarm
                .leadsOff(20, 30).leadsOff(31.5, 40); // off, back for one window only, off again
        List<AlertEvent> out;
        try (var h = harness(6)) {
            out = feed(h, tl, 2, 80);
        }
        assertThat(of(out, AlertType.LEAD_OFF, "RAISED")).hasSize(1);
        AlertEvent raised = of(out, AlertType.LEAD_OFF, "RAISED").get(0);
        assertThat(raised.spanEndMicros()).isGreaterThan(20 * S);
        assertThat(raised.priority()).as("every lead off").isEqualTo("MEDIUM");
        assertThat(raised.text()).startsWith("All leads off: ");
        List<AlertEvent> cleared = of(out, AlertType.LEAD_OFF, "CLEARED");
        assertThat(cleared).hasSize(1);
        assertThat(cleared.get(0).spanEndMicros()).isGreaterThanOrEqualTo(40 * S + 3 * S);
        assertThat(out).extracting(AlertEvent::type).containsOnly(AlertType.LEAD_OFF.name());
    }

    @Test
    void aVentricularTachycardiaRightAfterBigeminyIsRaisedFromItsOwnRate() throws Exception {
        // sinus, then ventricular bigeminy at 80 bpm (coupling 0.5 s, pause 1.0 s), then 5 wide beats at
        // 110 bpm. Taken back into the bigeminy (still 70 % ventricular) the run would average 78 bpm
        Timeline tl = new Timeline().sinus(0.4, 20, 75);
        double t = 20.4;
        for (int k = 0; k < 4; k++) {
            tl.beat(t, false).beat(t + 0.5, true);
            t += 1.5;
        }
        double vtOnset = t;
        for (int k = 0; k < 5; k++) {
            tl.beat(vtOnset + k * 60.0 / 110, true);
        }
        tl.sinus(vtOnset + 5 * 60.0 / 110 + 0.6, 50, 75);
        List<AlertEvent> out;
        try (var h = harness(6)) {
            out = feed(h, tl, 2, 50);
        }
        List<AlertEvent> vt = of(out, AlertType.VENTRICULAR_TACHYCARDIA, "RAISED");
        assertThat(vt).hasSize(1);
        assertThat(vt.get(0).onsetTimeMicros()).isEqualTo(Math.round(vtOnset * S));
        assertThat(vt.get(0).heartRateBpm()).isCloseTo(110f, org.assertj.core.data.Offset.offset(1f));
        assertThat(vt.get(0).text()).startsWith("5 ventricular beats at 110 bpm");
    }

    @Test
    void beatsTheModelCallsVentricularRaiseVtOnlyWhenTheirQrsIsNotNarrow() throws Exception {
        // 30 s at 110 bpm, every beat called ventricular by the model (P(V) 0.96, as the model called
        // the sinus tachycardia of CinC 2021 JS20005); only the QRS width differs
        assertThat(modelScored(new Scored(0.4, 30, 110, 74f, 0.96f, 1f))).extracting(AlertEvent::type)
                .as("narrow complexes (74 ms) are not a ventricular rhythm")
                .doesNotContain(AlertType.VENTRICULAR_TACHYCARDIA.name(), AlertType.VENTRICULAR_RUN.name());
        assertThat(of(modelScored(new Scored(0.4, 30, 110, 96f, 0.96f, 1f)), AlertType.VENTRICULAR_TACHYCARDIA,
                "RAISED")).as("VT read as 96 ms, as the job reads the VT of MIT-BIH 223").hasSize(1);
        assertThat(of(modelScored(new Scored(0.4, 30, 110, 150f, 0.96f, 1f)), AlertType.VENTRICULAR_TACHYCARDIA,
                "RAISED")).hasSize(1);
    }

    @Test
    void wideBeatsTheModelCallsNormalThroughoutRaiseNoVt() throws Exception {
        // 20 s of narrow sinus beats (the patient's own width, 90 ms), then 10 s of wide-measured beats
        // at 110 bpm that the model's rule calls N at P(V) 0.3 (CinC 2021 E07502): wide + P(V) >= 0.1
        // fills out a run, but the model never saw one start
        Scored sinus = new Scored(0.4, 20, 75, 90f, 0.01f, 0f);
        assertThat(modelScored(sinus, new Scored(20.3, 30, 110, 150f, 0.3f, 0f))).extracting(AlertEvent::type)
                .doesNotContain(AlertType.VENTRICULAR_TACHYCARDIA.name(), AlertType.VENTRICULAR_RUN.name());
        assertThat(of(modelScored(sinus, new Scored(20.3, 30, 110, 150f, 0.3f, 1f)),
                AlertType.VENTRICULAR_TACHYCARDIA, "RAISED")).as("the same beats called V by the model's rule")
                .hasSize(1);
    }

    /** Beats at {@code bpm} in [fromS, toS), each with QRS {@code widthMs}, P(V) {@code pV} and the beat rule's verdict. */
    private record Scored(double fromS, double toS, double bpm, float widthMs, float pV, float modelV) {}

    /** A decider with a model fed the scored beats of {@code segments} (in order) up to the last one's end. */
    private static List<AlertEvent> modelScored(Scored... segments) throws Exception {
        List<Long> beats = new ArrayList<>();
        List<Scored> of = new ArrayList<>();
        for (Scored g : segments) {
            for (double t = g.fromS(); t < g.toS(); t += 60.0 / g.bpm()) {
                beats.add(Math.round(t * S));
                of.add(g);
            }
        }
        int endS = (int) Math.ceil(segments[segments.length - 1].toS());
        try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new AlertDecider(1, 6, 600, 60, "test-model", "1"), new EcgPipeline.AnalysisPatient(), Types.STRING)) {
            h.open();
            for (int t = 2; t <= endS; t++) {
                long end = t * S;
                long ready = end - S;
                List<Integer> idx = new ArrayList<>();
                for (int k = 0; k < beats.size(); k++) {
                    if (beats.get(k) > ready - S && beats.get(k) <= ready) {
                        idx.add(k);
                    }
                }
                int n = idx.size();
                long[] b = new long[n];
                float[] width = new float[n];
                boolean[] wide = new boolean[n];
                float[] v = new float[n];
                float[] modelV = new float[n];
                for (int k = 0; k < n; k++) {
                    Scored g = of.get(idx.get(k));
                    b[k] = beats.get(idx.get(k));
                    width[k] = g.widthMs();
                    wide[k] = g.widthMs() >= 120;
                    v[k] = g.pV();
                    modelV[k] = g.modelV();
                }
                WindowAnalysis a = new WindowAnalysis(PATIENT, "bed-1", 0, end - 10 * S, end, ready, Long.MIN_VALUE, 0L,
                        b, width, wide, b, v, modelV, new float[n], v, 110f, LEADS.length, LEADS.length, new String[0],
                        LEADS, 0.9f, false, Float.NaN, 1.0f, Float.NaN, 0f, new float[0], new float[0], new float[0]);
                h.processElement(a, end / 1000);
                h.processWatermark(end / 1000 - 1);
            }
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    @Test
    void stormsAreCappedPerPatientAndType() throws Exception {
        // eight pauses of 8 s within 10 minutes; the cap is three raises in the storm window
        Timeline tl = new Timeline();
        for (int k = 0; k < 8; k++) {
            tl.sinus(k * 30 + 0.4, k * 30 + 22, 75);
        }
        List<AlertEvent> out;
        try (var h = harness(3)) {
            out = feed(h, tl, 2, 8 * 30);
        }
        assertThat(of(out, AlertType.ASYSTOLE, "RAISED")).hasSize(3);
        assertThat(of(out, AlertType.ASYSTOLE, "CLEARED")).hasSize(3);
        // without the cap every pause is its own episode with its own id
        try (var h = harness(100)) {
            List<AlertEvent> all = of(feed(h, tl, 2, 8 * 30), AlertType.ASYSTOLE, "RAISED");
            assertThat(all).hasSize(8);
            assertThat(all.stream().map(AlertEvent::id).distinct()).hasSize(8);
        }
    }

    @Test
    void aRestoredDeciderDoesNotRaiseAnOpenEpisodeAgain() throws Exception {
        Timeline tl = new Timeline().sinus(0.4, 30, 75).sinus(45, 70, 75);
        List<AlertEvent> uninterrupted;
        try (var h = harness(6)) {
            uninterrupted = feed(h, tl, 2, 70);
        }
        OperatorSubtaskState snapshot;
        List<AlertEvent> before;
        try (var h = harness(6)) {
            before = feed(h, tl, 2, 38); // the asystole is raised and still open
            assertThat(of(before, AlertType.ASYSTOLE, "RAISED")).hasSize(1);
            snapshot = h.snapshot(1, 38_000);
        }
        List<AlertEvent> after;
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertDecider(1, 6, 600, 60, null, null)),
                new EcgPipeline.AnalysisPatient(), Types.STRING);
        try (h) {
            h.initializeState(snapshot);
            h.open();
            after = feed(h, tl, 39, 70);
        }
        assertThat(of(after, AlertType.ASYSTOLE, "RAISED")).isEmpty();
        List<AlertEvent> joined = new ArrayList<>(before);
        joined.addAll(after);
        assertThat(joined).extracting(AlertEvent::id, AlertEvent::state, AlertEvent::onsetTimeMicros)
                .containsExactlyElementsOf(uninterrupted.stream()
                        .map(a -> org.assertj.core.groups.Tuple.tuple(a.id(), a.state(), a.onsetTimeMicros())).toList());
    }
}
