package io.ecgsentinel.core.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.qrs.QrsDetector;
import io.ecgsentinel.core.qrs.QrsEvaluation;
import io.ecgsentinel.core.qrs.QrsEvaluation.RecordResult;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's beats are real beats: a 5-minute synthetic 12-lead record with PVCs, a couplet
 * and a VT run, written as WFDB with its own ground-truth annotations, is scored by the same
 * detector and matcher that {@code ./ecg qrs-eval} uses, and both Se and +P reach 99 %.
 */
class SyntheticQrsAccuracyTest {

    static final String SCENARIO = """
            at 20s PVC
            at 45s PVC
            at 70s COUPLET
            at 100s VT for 20s rate=170
            at 150s PVC
            at 180s BIGEMINY for 20s
            at 230s PVC
            at 260s PVC
            """;

    @Test
    void detectorFindsTheGeneratedBeats(@TempDir Path dir) throws Exception {
        EcgSynthesizer gen = EcgSynthesizer.builder().seed(2024).sampleRate(500)
                .scenario(Scenario.parse(SCENARIO)).build();
        SyntheticRecords.Written w = SyntheticRecords.write(dir, "syn001", gen, 300, SyntheticRecords.DEFAULT_GAIN);

        // the record reads back as a 12-lead WFDB record with beat and rhythm annotations
        WfdbRecord rec = WfdbRecord.read(w.header());
        assertThat(rec.signalCount()).isEqualTo(12);
        assertThat(rec.length()).isEqualTo(150_000);
        assertThat(rec.verify()).isEmpty();
        List<Annotation> atr = AnnotationReader.read(dir.resolve("syn001"), "atr");
        long pvcs = atr.stream().filter(a -> a.symbol().equals("V")).count();
        assertThat(pvcs).isGreaterThan(5 + 2 + 40 + 5);
        assertThat(atr.stream().filter(Annotation::isRhythmChange).map(Annotation::rhythm))
                .containsSubsequence("N", "VT", "N", "B", "N");

        RecordResult r = QrsEvaluation.evaluate(dir, "syn001", List.of(), QrsDetector.Settings.defaults());
        System.out.println("synthetic 5-min record: " + QrsEvaluation.row(r));
        assertThat(r.match().referenceBeats()).isGreaterThan(300);
        assertThat(r.match().sensitivity()).isGreaterThanOrEqualTo(99.0);
        assertThat(r.match().positivePredictivity()).isGreaterThanOrEqualTo(99.0);
    }
}
