package io.ecgsentinel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.SyntheticRecords;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReplayTest {

    @Test
    void replaysSamplesAndTruthAndLoopsWithTheClockRunningOn(@TempDir Path dir) throws Exception {
        EcgSynthesizer g = EcgSynthesizer.builder().seed(3).sampleRate(250)
                .scenario(Scenario.parse("at 10s VT for 6s rate=170\nat 5s PVC")).build();
        SyntheticRecords.write(dir, "rec1", g, 30, 200);
        ReplayRecord rec = ReplayRecord.load(dir.resolve("rec1.hea"), TruthBeats.ECTOPIC);
        assertThat(rec.sampleRateHz()).isEqualTo(250);
        assertThat(rec.leads()).hasSize(12).startsWith("I", "II", "III", "aVR");
        assertThat(rec.source()).endsWith("/rec1");
        assertThat(rec.truth()).anyMatch(t -> t.eventType().equals("VT") && t.onsetSample() == 2500);
        assertThat(rec.truth()).anyMatch(t -> t.eventType().equals("PVC"));

        RecordReplayPatient p = new RecordReplayPatient(rec, "p1", "d1", true, 0);
        float[][] buf = new float[12][25];
        boolean[] off = new boolean[12];
        List<TruthEvent> truth = new ArrayList<>();
        float[] v1 = WfdbRecord.read(dir.resolve("rec1.hea")).millivolts(6);
        int len = rec.length();
        for (int f = 0; f < (int) (72 * 250 / 25); f++) {
            long start = p.position();
            assertThat(p.next(buf, 25, off, new ArrayList<>(), truth)).isEqualTo(25);
            for (int i = 0; i < 25; i++) {
                assertThat(buf[6][i]).isCloseTo(v1[(int) ((start + i) % len)], within(1e-6f));
            }
        }
        assertThat(p.finished()).isFalse();
        List<Long> vtOnsets = truth.stream().filter(t -> t.eventType().equals("VT")).map(TruthEvent::onsetSample).toList();
        assertThat(vtOnsets).containsExactly(2500L, 2500L + len, 2500L + 2L * len);

        RecordReplayPatient once = new RecordReplayPatient(rec, "p2", "d2", false, 0);
        int total = 0;
        int got;
        while ((got = once.next(new float[12][1000], 1000, off, new ArrayList<>(), new ArrayList<>())) > 0) {
            total += got;
        }
        assertThat(total).isEqualTo(len);
        assertThat(once.finished()).isTrue();
    }

    @Test
    void patientIdsAreOpaqueStableOrMapped(@TempDir Path dir) throws Exception {
        String a = PatientIds.derived().idFor("mitdb/100", 0);
        assertThat(a).isEqualTo(PatientIds.derive("mitdb/100")).startsWith("rec-").doesNotContain("100");
        assertThat(PatientIds.derived().idFor("mitdb/100", 1)).isNotEqualTo(a);
        Path map = dir.resolve("map.csv");
        Files.writeString(map, "# record,patient\nmitdb/100,patient-A\n119 = patient-B\n");
        PatientIds ids = PatientIds.read(map);
        assertThat(ids.idFor("mitdb/100", 0)).isEqualTo("patient-A");
        assertThat(ids.idFor("mitdb/119", 0)).isEqualTo("patient-B");
        assertThat(ids.idFor("mitdb/119", 2)).isEqualTo("patient-B#2");
        assertThat(ids.idFor("mitdb/200", 0)).isEqualTo(PatientIds.derive("mitdb/200"));
        Files.writeString(map, "justonefield\n");
        assertThatThrownBy(() -> PatientIds.read(map)).hasMessageContaining("line 1");
    }

    @Test
    void aRecordFarFromZeroAtAHighGainIsPublishedWithoutSaturating(@TempDir Path dir) throws Exception {
        // as CPSC 2021 stores its leads: 34,043.47 units per mV around a baseline of -167,477, so the
        // samples are 4-6 mV; published at the record's own gain (baseline 0) every one hit the rail
        int n = 2000;
        java.nio.ByteBuffer dat = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            dat.putShort((short) Math.round(20000 * Math.sin(2 * Math.PI * i / 200.0)));
            dat.putShort((short) Math.round(-15000 * Math.cos(2 * Math.PI * i / 150.0)));
        }
        Files.write(dir.resolve("far.dat"), dat.array());
        Files.writeString(dir.resolve("far.hea"), "far 2 200 " + n + "\n"
                + "far.dat 16 34043.46727318676(-167477)/mV 16 0 0 0 0 I\n"
                + "far.dat 16 7425.454545454545(-42977)/mV 16 0 20000 0 0 II\n");
        ReplayRecord rec = ReplayRecord.load(dir.resolve("far.hea"), TruthBeats.NONE);
        float[][] mv = WfdbRecord.read(dir.resolve("far.hea")).millivolts();
        float[] gains = rec.gains();
        assertThat(gains[0]).isLessThan(34043f).isGreaterThan(5000f);
        assertThat(gains[1]).isLessThan(7425f).isGreaterThan(4000f);

        RecordReplayPatient p = new RecordReplayPatient(rec, "p", "d", false, 0);
        float[][] buf = new float[2][n];
        assertThat(p.next(buf, n, new boolean[2], new ArrayList<>(), new ArrayList<>())).isEqualTo(n);
        io.ecgsentinel.schemas.avro.EcgFrame frame = io.ecgsentinel.schemas.EcgFrames.builder("p", "d", 0, 0, 200,
                rec.leads(), buf, gains).build();
        java.nio.ByteBuffer samples = frame.getSamples().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int atRail = 0;
        while (samples.remaining() >= 2) {
            atRail += Math.abs(samples.getShort()) >= io.ecgsentinel.schemas.EcgFrames.MAX_ADC ? 1 : 0;
        }
        assertThat(atRail).as("samples published at the int16 rail").isZero();
        float[][] back = io.ecgsentinel.schemas.EcgFrames.decodeMillivolts(frame);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < n; i++) {
                assertThat(back[k][i]).isCloseTo(mv[k][i], within(0.6f / gains[k] + 1e-6f * Math.abs(mv[k][i])));
            }
        }
    }

    @Test
    void aRecordThatFitsKeepsItsOwnGain(@TempDir Path dir) throws Exception {
        EcgSynthesizer g = EcgSynthesizer.builder().seed(4).sampleRate(250).build();
        SyntheticRecords.write(dir, "fits", g, 10, 200);
        assertThat(ReplayRecord.load(dir.resolve("fits.hea"), TruthBeats.NONE).gains()).containsOnly(200f);
    }

    @Test
    void mitBihAnnotationsBecomeRhythmEpisodesAndPvcs() throws Exception {
        Path mitdb = DataDirs.resolve().resolve("mitdb");
        assumeTrue(Files.isRegularFile(mitdb.resolve("203.hea")), "MIT-BIH 203 not available");
        ReplayRecord rec = ReplayRecord.load(mitdb.resolve("203.hea"), TruthBeats.ECTOPIC);
        assertThat(rec.sampleRateHz()).isEqualTo(360);
        assertThat(rec.source()).isEqualTo("mitdb/203");
        assertThat(rec.truth()).anyMatch(t -> t.eventType().equals("VT") && t.endSample() > t.onsetSample()
                && "(VT".equals(t.detail()));
        assertThat(rec.truth()).anyMatch(t -> t.eventType().equals("AFL") || t.eventType().equals("AFIB"));
        assertThat(rec.truth().stream().filter(t -> t.eventType().equals("PVC")).count()).isGreaterThan(100);
        List<PatientStream> ps = ReplayCommand.patientsFor(List.of(rec), 3, PatientIds.derived(), true);
        assertThat(ps).extracting(PatientStream::patientId).doesNotHaveDuplicates();
    }
}
