package io.ecgsentinel.core.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.io.CsvFormatException;
import io.ecgsentinel.core.wfdb.WfdbRecord;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** PTB-XL metadata against the numbers the data README states for this copy. */
class PtbXlMetadataTest {

    static PtbXlMetadata meta;

    @BeforeAll
    static void load() throws IOException {
        meta = PtbXlMetadata.load(DataDirs.resolve("ptbxl"));
    }

    @Test
    void rowsPatientsAndFoldsMatchTheReadme() {
        assertThat(meta.records()).hasSize(1498);
        assertThat(meta.records().stream().map(PtbXlRecord::patientId).distinct().count())
                .isEqualTo(1395);
        Map<Integer, Long> perFold =
                meta.records().stream()
                        .collect(
                                Collectors.groupingBy(
                                        PtbXlRecord::stratFold,
                                        TreeMap::new,
                                        Collectors.counting()));
        assertThat(perFold)
                .containsExactlyEntriesOf(
                        new TreeMap<>(
                                Map.of(
                                        1, 214L, 2, 179L, 3, 178L, 4, 193L, 5, 208L, 6, 156L, 7,
                                        197L, 8, 173L)));
        assertThat(meta.fold(6)).hasSize(156);
        assertThat(meta.statements()).hasSize(71);
        assertThat(meta.byEcgId(1370)).as("left out on purpose (duplicate)").isEmpty();
    }

    @Test
    void superclassAndStatementCountsMatchTheReadme() {
        Map<String, Integer> counts = new HashMap<>();
        int none = 0;
        for (PtbXlRecord r : meta.records()) {
            r.superclasses().forEach(c -> counts.merge(c, 1, Integer::sum));
            if (r.superclasses().isEmpty()) {
                none++;
            }
        }
        assertThat(counts)
                .containsOnly(
                        Map.entry("NORM", 805),
                        Map.entry("STTC", 347),
                        Map.entry("CD", 322),
                        Map.entry("MI", 268),
                        Map.entry("HYP", 159));
        assertThat(none).isEqualTo(9);
        assertThat(meta.records().stream().filter(r -> r.hasCode("AFIB")).count()).isEqualTo(73);
        assertThat(meta.records().stream().filter(r -> r.hasCode("PVC")).count()).isEqualTo(72);
        // AFIB is a rhythm statement and PVC a form statement in scp_statements.csv
        assertThat(meta.records().stream().filter(r -> r.rhythms().contains("AFIB")).count())
                .isEqualTo(73);
        assertThat(meta.records().stream().filter(r -> r.forms().contains("PVC")).count())
                .isEqualTo(72);
    }

    @Test
    void theUpperIdRangeMatchesTheReadmeToo() {
        Map<String, Integer> counts = new HashMap<>();
        long n = 0;
        for (PtbXlRecord r : meta.records()) {
            if (r.ecgId() >= 501) {
                n++;
                r.superclasses().forEach(c -> counts.merge(c, 1, Integer::sum));
            }
        }
        assertThat(n).isEqualTo(1145);
        assertThat(counts)
                .containsOnly(
                        Map.entry("NORM", 580),
                        Map.entry("STTC", 288),
                        Map.entry("CD", 265),
                        Map.entry("MI", 219),
                        Map.entry("HYP", 134));
    }

    @Test
    void theFirstRowIsParsedFieldByField() {
        PtbXlRecord r = meta.byEcgId(1).orElseThrow();
        assertThat(r.scpCodes())
                .containsExactly(
                        Map.entry("NORM", 100.0), Map.entry("LVOLT", 0.0), Map.entry("SR", 0.0));
        assertThat(r.superclasses()).containsExactly("NORM");
        assertThat(r.rhythms()).containsExactly("SR");
        assertThat(r.forms()).containsExactly("LVOLT");
        assertThat(r.stratFold()).isEqualTo(3);
        assertThat(r.age()).isEqualTo(56.0);
        assertThat(r.sex()).isEqualTo(1);
        assertThat(r.staticNoise()).isEqualTo(", I-V1,");
        assertThat(r.hasNoise()).isTrue();
        assertThat(r.filenameLr()).isEqualTo("records100/00000/00001_lr");
        assertThat(r.filenameHr()).isEqualTo("records500/00000/00001_hr");
        assertThat(r.toString()).doesNotContain(Long.toString(r.patientId()));
    }

    @Test
    void quotedReportsWithCommasAndDoubledQuotesDoNotShiftColumns() {
        PtbXlRecord r = meta.byEcgId(640).orElseThrow();
        assertThat(r.columns().get("report")).contains("\"septal hypertrophy\"").contains("v4,5,6");
        assertThat(r.scpCodes()).containsKeys("LVH", "SEHYP");
        assertThat(r.stratFold()).isBetween(1, 8);
    }

    @Test
    void highRateFilesArePresentExactlyForEcgIdsUpTo500() throws IOException {
        Set<Integer> withHr =
                meta.records().stream()
                        .filter(meta::hasHighRate)
                        .map(PtbXlRecord::ecgId)
                        .collect(Collectors.toSet());
        assertThat(withHr).hasSize(353).allMatch(id -> id <= 500);
        assertThat(meta.records()).allMatch(meta::hasLowRate);
        PtbXlRecord first = meta.byEcgId(1).orElseThrow();
        WfdbRecord hr = WfdbRecord.read(meta.highRateHeader(first));
        WfdbRecord lr = WfdbRecord.read(meta.lowRateHeader(first));
        assertThat(hr.samplingFrequency()).isEqualTo(500);
        assertThat(lr.samplingFrequency()).isEqualTo(100);
    }

    @Test
    void likelihoodThresholdsNarrowTheSuperclasses() {
        PtbXlRecord r =
                meta.records().stream()
                        .filter(
                                x ->
                                        x.scpCodes().entrySet().stream()
                                                .anyMatch(
                                                        e ->
                                                                e.getValue() == 0.0
                                                                        && meta.statements()
                                                                                .get(e.getKey())
                                                                                .diagnostic()))
                        .findFirst()
                        .orElseThrow();
        assertThat(meta.superclasses(r, 0)).isEqualTo(r.superclasses());
        assertThat(meta.superclasses(r, 50).size()).isLessThanOrEqualTo(r.superclasses().size());
    }

    @Test
    void pythonDictLiteralsAreParsedStrictly() {
        assertThat(PtbXlMetadata.parseScpCodes("{'IMI': 35.0, 'ABQRS': 0.0}", 5))
                .containsExactly(Map.entry("IMI", 35.0), Map.entry("ABQRS", 0.0));
        assertThat(PtbXlMetadata.parseScpCodes("{}", 5)).isEmpty();
        assertThatThrownBy(() -> PtbXlMetadata.parseScpCodes("{'IMI' 35.0}", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ecg_id 5");
    }

    @Test
    void anUnknownCodeIsReportedWithFileAndLine(@TempDir Path tmp) throws IOException {
        Path src = DataDirs.resolve("ptbxl");
        Files.copy(
                src.resolve(PtbXlMetadata.STATEMENTS_CSV),
                tmp.resolve(PtbXlMetadata.STATEMENTS_CSV));
        var lines = Files.readAllLines(src.resolve(PtbXlMetadata.DATABASE_CSV));
        Files.write(
                tmp.resolve(PtbXlMetadata.DATABASE_CSV),
                java.util.List.of(lines.get(0), lines.get(1).replace("'NORM'", "'NOPE'")));
        assertThatThrownBy(() -> PtbXlMetadata.load(tmp))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("NOPE");
    }
}
