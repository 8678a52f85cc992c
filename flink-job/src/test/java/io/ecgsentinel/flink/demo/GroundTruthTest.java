package io.ecgsentinel.flink.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.core.labels.RhythmEpisodes;
import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.core.synth.SyntheticRecords;
import io.ecgsentinel.core.synth.TruthBeat;
import io.ecgsentinel.core.synth.TruthEpisode;
import io.ecgsentinel.core.synth.TruthRecorder;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.flink.demo.AlarmScorer.Kind;
import io.ecgsentinel.flink.demo.AlarmScorer.Truth;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import io.ecgsentinel.simulator.Faults;
import io.ecgsentinel.simulator.FramePublisher;
import io.ecgsentinel.simulator.PatientStream;
import io.ecgsentinel.simulator.RecordReplayPatient;
import io.ecgsentinel.simulator.ReplayRecord;
import io.ecgsentinel.simulator.SimStats;
import io.ecgsentinel.simulator.SimulationRunner;
import io.ecgsentinel.simulator.TruthBeats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo scores against the truth the device simulator publishes. These tests play the
 * simulator's own patients through its {@link SimulationRunner} (no Kafka) and check that the
 * scored episodes are what the ground truth means: for synthetic patients, the generator's
 * scheduled episodes (checked against an independent run of the same generator), for replayed
 * records, the rhythm annotations of the record (checked against its {@code .atr} file), both with
 * the alarm definitions applied and on the run's clock.
 */
class GroundTruthTest {

    static final long T0 = 1_700_000_000_000_000L;
    static final int FS = DemoCommand.SYNTHETIC_FS;

    /** Swallows what the runner sends; the {@link RecordingPublisher} around it keeps the truth. */
    static final class Discard implements FramePublisher {
        final SimStats stats;

        Discard(SimStats stats) {
            this.stats = stats;
        }

        @Override
        public void publishFrame(String patientId, EcgFrame frame, byte[] encoded) {
            stats.framesSent.increment();
        }

        @Override
        public void publishTruth(GroundTruthEvent event) {
            stats.truthSent.increment();
        }

        @Override
        public void flush() {}

        @Override
        public void close(Duration timeout) {}
    }

    static RecordingPublisher play(List<PatientStream> ward, double seconds) throws InterruptedException {
        SimStats stats = new SimStats();
        RecordingPublisher rec = new RecordingPublisher(new Discard(stats), true);
        new SimulationRunner(ward, rec, new SimulationRunner.Config(10_000, DemoCommand.FRAME_MS, seconds, T0, 2,
                Faults.NONE, 0, null), stats).run();
        assertThat(stats.framesSent.sum()).isPositive();
        return rec;
    }

    record Expected(String patient, Kind kind, double onset, double end, boolean required) {}

    static Expected of(Truth t) {
        return new Expected(t.patient(), t.kind(), Math.round(t.onset() * 1e4) / 1e4, Math.round(t.end() * 1e4) / 1e4,
                t.required());
    }

    static final String[] SCENARIOS = {
        "at 10s VT for 8s rate=170\nat 22s VT for 1s rate=170\nat 26s ASYSTOLE for 6s\nat 35s PVC\n"
                + "at 40s BRADY for 12s rate=33\nat 54s LEAD_OFF for 3s leads=V1",
        "at 5s AFIB for 40s\nat 50s AFIB for 8s",
        "at 5s SVT for 10s rate=190\nat 20s NOISE for 5s\nat 30s BRADY for 6s rate=35",
        ""
    };

    @Test
    void syntheticTruthIsTheGeneratorsScheduledEpisodesOnEachDevicesClock() throws Exception {
        double seconds = 60;
        List<PatientStream> ward = new ArrayList<>();
        for (int i = 0; i < SCENARIOS.length; i++) {
            ward.add(DemoCommand.syntheticPatient("bed-" + i, "monitor-" + i, 1000 + i, Scenario.parse(SCENARIOS[i])));
        }
        RecordingPublisher rec = play(ward, seconds);

        List<Truth> got = GroundTruth.synthetic(rec.truth(), T0);

        // the oracle: the same generators run on their own with ecg-core's recorder, mapped the way the demo
        // always scored them (V beats counted from the generated beats), placed where each device's clock began
        List<Expected> expected = new ArrayList<>();
        List<Double> offsets = new ArrayList<>();
        for (int i = 0; i < SCENARIOS.length; i++) {
            EcgSynthesizer g = EcgSynthesizer.builder().seed(1000 + i).sampleRate(FS).leads(StandardLead.ALL)
                    .scenario(Scenario.parse(SCENARIOS[i])).build();
            TruthRecorder r = new TruthRecorder();
            g.truthListener(r);
            float[][] buf = new float[12][FS];
            for (int s = 0; s < seconds; s++) {
                g.next(buf, 0, FS);
            }
            double offset = (rec.startMicros("bed-" + i).orElseThrow() - T0) / 1e6;
            offsets.add(offset);
            for (Truth t : legacySynthetic("bed-" + i, r.episodes(), r.beats(), FS)) {
                expected.add(of(new Truth(t.patient(), t.kind(), t.onset() + offset, t.end() + offset, t.required(),
                        t.excuses(), t.label())));
            }
        }
        assertThat(offsets).as("the runner spreads the devices over a frame").doesNotHaveDuplicates()
                .allSatisfy(o -> assertThat(o).isBetween(0.0, 0.2));
        assertThat(got.stream().map(GroundTruthTest::of).toList()).containsExactlyInAnyOrderElementsOf(expected);

        // and what that means, spelled out
        List<Truth> bed0 = got.stream().filter(t -> t.patient().equals("bed-0"))
                .sorted(Comparator.comparingDouble(Truth::onset)).toList();
        assertThat(bed0).extracting(Truth::kind).containsExactly(Kind.VENTRICULAR_TACHYCARDIA,
                Kind.VENTRICULAR_TACHYCARDIA, Kind.ASYSTOLE, Kind.EXTREME_BRADYCARDIA, Kind.LEAD_OFF);
        assertThat(bed0).extracting(Truth::required).containsExactly(true, false, true, true, true);
        assertThat(bed0.get(0).onset()).isCloseTo(10, within(0.6));
        assertThat(bed0.get(0).end()).isCloseTo(18 + offsets.get(0), within(1e-3));
        assertThat(bed0.get(0).excuses()).contains(Kind.EXTREME_TACHYCARDIA);
        assertThat(bed0.get(2).onset()).isCloseTo(26 + offsets.get(0), within(1e-3));
        List<Truth> bed1 = got.stream().filter(t -> t.patient().equals("bed-1"))
                .sorted(Comparator.comparingDouble(Truth::onset)).toList();
        assertThat(bed1).extracting(Truth::kind).containsOnly(Kind.ATRIAL_FIBRILLATION);
        assertThat(bed1).extracting(Truth::required).containsExactly(true, false);
        List<Truth> bed2 = got.stream().filter(t -> t.patient().equals("bed-2"))
                .sorted(Comparator.comparingDouble(Truth::onset)).toList();
        assertThat(bed2).extracting(Truth::kind).containsExactly(Kind.EXTREME_TACHYCARDIA, null,
                Kind.EXTREME_BRADYCARDIA);
        assertThat(bed2).extracting(Truth::required).containsExactly(true, false, false); // 6 s at 35 bpm: under 5 beats
        assertThat(bed2.get(1).excuses()).containsExactly(Kind.LEAD_OFF);
        assertThat(got).noneMatch(t -> t.patient().equals("bed-3"));
    }

    @Test
    void replayedTruthIsTheRecordsRhythmAnnotationsCutWhereTheReplayStopped(@TempDir Path dir) throws Exception {
        EcgSynthesizer g = EcgSynthesizer.builder().seed(7).sampleRate(FS).leads(List.of(StandardLead.II,
                StandardLead.V1)).scenario(Scenario.parse("at 5s VT for 6s rate=170\nat 14s VT for 1s rate=170\n"
                        + "at 20s AFIB for 40s\nat 65s SVT for 10s rate=190")).build();
        SyntheticRecords.write(dir, "rec", g, 80, SyntheticRecords.DEFAULT_GAIN);
        ReplayRecord record = ReplayRecord.load(dir.resolve("rec.hea"), TruthBeats.ALL);
        double seconds = 40; // stops inside the AF episode and before the SVT
        RecordingPublisher rec = play(List.of(new RecordReplayPatient(record, "p", "dev", false, 0)), seconds);

        List<Truth> got = GroundTruth.replayed(rec.truth(), T0, rec.endMicros());

        // the oracle: the record's annotations up to where the replay stopped, as the demo always read them
        long len = Math.round(seconds * FS);
        double offset = (rec.startMicros("p").orElseThrow() - T0) / 1e6;
        assertThat(rec.endMicros().get("p")).isEqualTo(T0 + Math.round(offset * 1e6) + len * 1_000_000L / FS);
        List<Annotation> ann = AnnotationReader.read(dir.resolve("rec"), "atr").stream()
                .filter(a -> a.sample() < len).toList();
        List<Expected> expected = legacyFromAnnotations("p", ann, len, FS).stream()
                .map(t -> of(new Truth(t.patient(), t.kind(), t.onset() + offset, t.end() + offset, t.required(),
                        t.excuses(), t.label()))).toList();
        List<Truth> rhythms = got.stream().filter(t -> !t.label().startsWith(GroundTruth.RATE_SPAN_LABEL)).toList();
        assertThat(rhythms.stream().map(GroundTruthTest::of).toList()).containsExactlyInAnyOrderElementsOf(expected);
        // the 6 s of VT at 170 bpm are 17 beats over 140 bpm: a span that excuses a tachycardia alarm
        assertThat(got).filteredOn(t -> t.label().startsWith(GroundTruth.RATE_SPAN_LABEL))
                .anyMatch(t -> t.excuses().equals(EnumSet.of(Kind.EXTREME_TACHYCARDIA)) && t.onset() < 5 + offset + 1
                        && t.end() > 10 + offset)
                .allMatch(t -> t.kind() == null && !t.required());

        List<Truth> sorted = rhythms.stream().sorted(Comparator.comparingDouble(Truth::onset)).toList();
        assertThat(sorted).extracting(Truth::kind).containsExactly(Kind.VENTRICULAR_TACHYCARDIA,
                Kind.VENTRICULAR_TACHYCARDIA, Kind.ATRIAL_FIBRILLATION);
        assertThat(sorted).extracting(Truth::required).containsExactly(true, false, false); // AF cut to 20 s
        assertThat(sorted.get(2).end()).isCloseTo(seconds + offset, within(1e-3));
    }

    @Test
    void replayedTruthIgnoresSyntheticEventsAndCountsBeatsInsideEachEpisode() {
        List<GroundTruthEvent> ev = new ArrayList<>();
        ev.add(event("r", "NORMAL", 0, 10, "mitdb/r", "(N"));
        ev.add(event("r", "VT", 10, 13, "mitdb/r", "(VT"));
        for (int i = 0; i < 6; i++) {
            ev.add(event("r", "BEAT", 10.2 + 0.4 * i, 10.2 + 0.4 * i, "mitdb/r", i == 0 ? "N" : "V"));
        }
        ev.add(event("r", "BRADY", 13, 30, "mitdb/r", "(SBR"));
        for (int i = 0; i < 10; i++) {
            ev.add(event("r", "BEAT", 13 + 1.7 * i, 13 + 1.7 * i, "mitdb/r", "N"));
        }
        ev.add(event("s", "VT", 10, 20, "synthetic", null));
        List<Truth> got = GroundTruth.replayed(ev, T0, Map.of("r", T0 + 25_000_000L));
        assertThat(got).extracting(GroundTruthTest::of).containsExactly(
                new Expected("r", Kind.VENTRICULAR_TACHYCARDIA, 10, 13, true), // 5 V beats
                new Expected("r", Kind.EXTREME_BRADYCARDIA, 13, 25, true), // cut at 25 s: 8 beats, 35 bpm
                new Expected("r", null, 13, 24.9, false)); // the beats from 13 s: 5 in a row under 40 bpm
        assertThat(got.get(0).label()).isEqualTo("(VT 5 V beats");
        assertThat(GroundTruth.synthetic(ev, T0)).extracting(GroundTruthTest::of)
                .containsExactly(new Expected("s", Kind.VENTRICULAR_TACHYCARDIA, 10, 20, false)); // no V beats published
    }

    @Test
    void referenceBeatsThatMeetARateDefinitionExcuseItsAlarm() {
        // 60 bpm, then 6 beats 1.8 s apart (33 bpm), then 60 bpm again; later 20 beats at 150 bpm
        List<Double> t = new ArrayList<>();
        for (double x = 0; x < 10; x += 1) {
            t.add(x);
        }
        for (int i = 1; i <= 5; i++) {
            t.add(9 + 1.8 * i);
        }
        for (double x = 19; x < 30; x += 1) {
            t.add(x);
        }
        for (int i = 0; i < 20; i++) {
            t.add(30 + 0.4 * i);
        }
        List<Truth> spans = GroundTruth.rateSpans("p", t.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(spans).extracting(GroundTruthTest::of).containsExactly(
                // 8, 9, 10.8, 12.6, 14.4 are 5 in a row at 37.5 bpm, and so on to 12.6, ..., 18, 19
                new Expected("p", null, 8, 19, false),
                new Expected("p", null, 30, 37.6, false)); // 17 in a row at 150 bpm, overlapping windows merged
        assertThat(spans.get(0).excuses()).containsExactly(Kind.EXTREME_BRADYCARDIA);
        assertThat(spans.get(1).excuses()).containsExactly(Kind.EXTREME_TACHYCARDIA);
        // 3 intervals at 37.5 bpm between faster beats, and 16 beats at 150 bpm between beats at 60: any 5
        // (17) beats in a row average 45 (137) bpm
        double[] short3 = {-0.5, 0, 1.6, 3.2, 4.8, 5.3, 5.8, 6.8, 7.8, 8.8, 9.8, 10.8};
        double[] fast16 = new double[20];
        for (int i = 0; i < 20; i++) {
            fast16[i] = i < 2 ? 20 + i : i < 18 ? 22 + 0.4 * (i - 2) : 22 + 0.4 * 15 + (i - 17);
        }
        assertThat(GroundTruth.rateSpans("p", short3)).isEmpty();
        assertThat(GroundTruth.rateSpans("p", fast16)).isEmpty();
    }

    static GroundTruthEvent event(String patient, String type, double on, double end, String source, String detail) {
        return GroundTruthEvent.newBuilder().setPatientId(patient).setEventType(type)
                .setOnsetMicros(T0 + Math.round(on * 1e6)).setEndMicros(T0 + Math.round(end * 1e6)).setSource(source)
                .setDetail(detail).build();
    }

    // ------------------------------------------------------------------ the demo's scoring before it used the simulator

    /** The demo's mapping from the generator's own episodes and beats (on the sample clock). */
    static List<Truth> legacySynthetic(String patient, List<TruthEpisode> episodes, List<TruthBeat> beats, double fs) {
        List<Truth> out = new ArrayList<>();
        for (TruthEpisode e : episodes) {
            double on = e.onsetSample() / fs;
            double end = e.endSample() / fs;
            double dur = end - on;
            double rate = rate(e.detail(), e.type().defaultRate());
            String label = e.type().name();
            switch (e.type()) {
                case VT -> {
                    long v = beats.stream().filter(b -> b.sample() >= e.onsetSample() && b.sample() < e.endSample()
                            && b.symbol().equals("V")).count();
                    out.add(new Truth(patient, Kind.VENTRICULAR_TACHYCARDIA, on, end, v >= 5,
                            EnumSet.of(Kind.VENTRICULAR_TACHYCARDIA, Kind.EXTREME_TACHYCARDIA), label));
                }
                case VF -> out.add(new Truth(patient, Kind.VENTRICULAR_FIBRILLATION, on, end, dur >= 4,
                        EnumSet.noneOf(Kind.class), label));
                case ASYSTOLE -> out.add(new Truth(patient, Kind.ASYSTOLE, on, end, dur >= 4,
                        EnumSet.noneOf(Kind.class), label));
                case AFIB -> out.add(new Truth(patient, Kind.ATRIAL_FIBRILLATION, on, end, dur >= 30,
                        EnumSet.noneOf(Kind.class), label));
                case SVT, TACHY -> out.add(new Truth(patient, Kind.EXTREME_TACHYCARDIA, on, end,
                        rate > 140 && dur * rate / 60 >= 17, EnumSet.noneOf(Kind.class), label));
                case BRADY -> out.add(new Truth(patient, Kind.EXTREME_BRADYCARDIA, on, end,
                        rate < 40 && dur * rate / 60 >= 5, EnumSet.noneOf(Kind.class), label));
                case LEAD_OFF -> out.add(new Truth(patient, Kind.LEAD_OFF, on, end, true, EnumSet.noneOf(Kind.class),
                        label));
                case NOISE -> out.add(new Truth(patient, null, on, end, false, EnumSet.noneOf(Kind.class), label));
                default -> { }
            }
        }
        return out;
    }

    /** The demo's mapping from a record's reference annotations. */
    static List<Truth> legacyFromAnnotations(String patient, List<Annotation> ann, long length, double fs) {
        List<Truth> out = new ArrayList<>();
        for (RhythmEpisodes.Episode e : RhythmEpisodes.of(ann, length)) {
            double on = e.start() / fs;
            double end = e.end() / fs;
            long beats = ann.stream().filter(a -> a.isBeat() && a.sample() >= e.start() && a.sample() < e.end()).count();
            long vBeats = ann.stream().filter(a -> a.code() == AnnotationCodes.PVC && a.sample() >= e.start()
                    && a.sample() < e.end()).count();
            double rate = beats > 1 ? 60 * (beats - 1) / Math.max(1e-9, end - on) : Double.NaN;
            Kind kind = switch (e.rhythm()) {
                case "VT" -> Kind.VENTRICULAR_TACHYCARDIA;
                case "VFL", "VF" -> Kind.VENTRICULAR_FIBRILLATION;
                case "AFIB" -> Kind.ATRIAL_FIBRILLATION;
                case "SVTA" -> Kind.EXTREME_TACHYCARDIA;
                case "SBR" -> Kind.EXTREME_BRADYCARDIA;
                case "ASYS" -> Kind.ASYSTOLE;
                default -> null;
            };
            boolean required = switch (e.rhythm()) {
                case "VT" -> vBeats >= 5;
                case "VFL", "VF", "ASYS" -> end - on >= 4;
                case "AFIB" -> end - on >= 30;
                case "SVTA" -> rate > 140 && beats >= 17;
                case "SBR" -> rate < 40 && beats >= 5;
                default -> false;
            };
            if (kind != null || e.rhythm().equals("AFL") || e.rhythm().equals("IVR")) {
                out.add(new Truth(patient, kind, on, end, required, EnumSet.noneOf(Kind.class), "(" + e.rhythm()));
            }
        }
        return out;
    }

    private static double rate(String detail, double fallback) {
        for (String part : detail.split("[ ,;]+")) {
            if (part.startsWith("rate=")) {
                return Double.parseDouble(part.substring(5));
            }
        }
        return fallback;
    }
}
