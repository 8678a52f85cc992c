package io.ecgsentinel.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static Annotation beat(long t, String sym) {
        return new Annotation(t, AnnotationCodes.code(sym), 0, 0, 0, null);
    }

    @Test
    void matchingPairsWithinTheWindowOnly() {
        List<Annotation> ref = List.of(beat(100, "N"), beat(400, "V"), beat(700, "N"));
        long[] det = {110, 460, 900};
        int[] m = Evaluator.match(ref, det, 54); // 150 ms at 360 Hz
        assertThat(m).containsExactly(0, -1, -1);
        m = Evaluator.match(ref, new long[] {95, 405, 660}, 54);
        assertThat(m).containsExactly(0, 1, 2);
    }

    @Test
    void ec57CountsMissedBeatsAndUnmatchedDetections() {
        long[][] c = new long[6][5];
        c[2][2] = 90; // V called V
        c[2][0] = 5; // V called N
        c[2][4] = 5; // V missed
        c[0][2] = 4; // N called V -> FP
        c[3][2] = 7; // F called V -> not a VEB FP
        c[5][2] = 1; // extra detection called V -> FP
        double[] v = Evaluator.ec57(c, 2);
        assertThat(v[0]).isCloseTo(90.0, within(1e-9));
        assertThat(v[1]).isCloseTo(100.0 * 90 / 95, within(1e-9));
        c[3][1] = 2; // F called S: an SVEB FP
        c[1][1] = 8;
        double[] s = Evaluator.ec57(c, 1);
        assertThat(s[0]).isCloseTo(100.0, within(1e-9));
        assertThat(s[1]).isCloseTo(80.0, within(1e-9));
    }

    private static boolean[] label(String... comments) {
        List<String> lines = new java.util.ArrayList<>(List.of("r 1 500 5000", "r.dat 16 1000 16 0 0 0 0 II"));
        for (String c : comments) lines.add("# " + c);
        return Evaluator.headerLabel(io.ecgsentinel.core.wfdb.WfdbHeader.parse(lines, java.nio.file.Path.of("."), "test"));
    }

    @Test
    void headerLabelsFromCincCodesAndPtbReasons() {
        assertThat(label("Age: 50", "Dx: 426783006")).containsExactly(false, false); // sinus rhythm only: normal
        assertThat(label("Dx: 426783006,164934002")).containsExactly(true, false); // plus T-wave abnormality
        assertThat(label("Dx: 164889003")).containsExactly(true, true); // atrial fibrillation
        assertThat(label("Dx: 426177001,164890007")).containsExactly(true, true); // sinus brady + flutter
        assertThat(label("Reason for admission: Healthy control")).containsExactly(false, false);
        assertThat(label("Reason for admission: Myocardial infarction")).containsExactly(true, false);
        assertThat(label("Reason for admission: n/a")).isNull();
        assertThat(label("Age: 50")).isNull();
    }

    /** PTB-XL copies with only the 500 Hz files are scored from those; a record without files is skipped. */
    @Test
    void ptbXlSignalFallsBackToTheHighRateFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path src = io.ecgsentinel.core.config.DataDirs.resolve().resolve("ptbxl");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(src.resolve("ptbxl_database.csv")),
                "PTB-XL data not available");
        for (String f : List.of("ptbxl_database.csv", "scp_statements.csv")) {
            java.nio.file.Files.copy(src.resolve(f), dir.resolve(f));
        }
        java.nio.file.Files.createDirectories(dir.resolve("records500/00000"));
        java.nio.file.Files.createDirectories(dir.resolve("records100/00000"));
        for (String ext : List.of(".hea", ".dat")) {
            java.nio.file.Files.copy(src.resolve("records500/00000/00001_hr" + ext), dir.resolve("records500/00000/00001_hr" + ext));
            java.nio.file.Files.copy(src.resolve("records500/00000/00002_hr" + ext), dir.resolve("records500/00000/00002_hr" + ext));
            java.nio.file.Files.copy(src.resolve("records100/00000/00002_lr" + ext), dir.resolve("records100/00000/00002_lr" + ext));
        }
        io.ecgsentinel.core.labels.PtbXlMetadata meta = io.ecgsentinel.core.labels.PtbXlMetadata.load(dir);
        java.util.Map<Integer, io.ecgsentinel.core.labels.PtbXlRecord> byId = new java.util.HashMap<>();
        for (io.ecgsentinel.core.labels.PtbXlRecord r : meta.records()) byId.put(r.ecgId(), r);
        assertThat(Evaluator.signalHeader(meta, byId.get(1))).isEqualTo(meta.highRateHeader(byId.get(1))); // 500 Hz only
        assertThat(Evaluator.signalHeader(meta, byId.get(2))).isEqualTo(meta.lowRateHeader(byId.get(2))); // both: 100 Hz
        assertThat(Evaluator.signalHeader(meta, byId.get(3))).isNull(); // neither
    }
}
