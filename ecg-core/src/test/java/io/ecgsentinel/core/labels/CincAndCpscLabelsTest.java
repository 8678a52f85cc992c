package io.ecgsentinel.core.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.core.wfdb.WfdbHeader;
import io.ecgsentinel.core.wfdb.WfdbRecord;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

class CincAndCpscLabelsTest {

    @Test
    void mappingFilesAreLoadedAndNameTheReadmesExamples() throws IOException {
        CincLabels labels = CincLabels.load(DataDirs.resolve("cinc2021"));
        // 30 scored rows + 103 unscored rows (file lines minus headers)
        Path dir = DataDirs.resolve("cinc2021");
        long rows =
                Files.readAllLines(dir.resolve(CincLabels.SCORED_CSV)).size()
                        - 1
                        + Files.readAllLines(dir.resolve(CincLabels.UNSCORED_CSV)).size()
                        - 1;
        assertThat(labels.diagnoses()).hasSize((int) rows);
        assertThat(
                        labels.diagnoses().values().stream()
                                .filter(CincLabels.Diagnosis::scored)
                                .count())
                .isEqualTo(30);
        assertThat(labels.lookup("426783006"))
                .get()
                .extracting(CincLabels.Diagnosis::abbreviation)
                .isEqualTo("NSR");
        assertThat(labels.lookup("164889003"))
                .get()
                .extracting(CincLabels.Diagnosis::abbreviation)
                .isEqualTo("AF");
        assertThat(labels.lookup("427084000").orElseThrow().name()).isEqualTo("sinus tachycardia");
        assertThat(labels.lookup("284470004").orElseThrow().name())
                .isEqualTo("premature atrial contraction");
    }

    @Test
    void scoringEquivalencesComeFromTheNotes() throws IOException {
        CincLabels labels = CincLabels.load(DataDirs.resolve("cinc2021"));
        assertThat(labels.scoredClass("59118001")).isEqualTo(labels.scoredClass("713427006"));
        assertThat(labels.scoredClass("63593006")).isEqualTo(labels.scoredClass("284470004"));
        assertThat(labels.scoredClass("17338001")).isEqualTo(labels.scoredClass("427172004"));
        assertThat(labels.scoredClass("164909002")).isEqualTo(labels.scoredClass("733534002"));
        assertThat(labels.scoredClass("164889003")).isEqualTo("164889003");
    }

    @Test
    void everyCincRecordHasDiagnosesAndAllAreKnown() throws IOException {
        CincLabels labels = CincLabels.load(DataDirs.resolve("cinc2021"));
        List<Path> headers;
        try (Stream<Path> s = Files.list(DataDirs.resolve("cinc2021"))) {
            headers = s.filter(p -> p.toString().endsWith(".hea")).sorted().toList();
        }
        assertThat(headers).hasSize(40);
        for (Path h : headers) {
            WfdbHeader header = WfdbHeader.read(h);
            List<String> codes = CincLabels.dxCodes(header);
            assertThat(codes)
                    .as(h.getFileName().toString())
                    .isNotEmpty()
                    .allMatch(c -> c.matches("\\d+"));
            assertThat(labels.diagnoses(header))
                    .as(h.getFileName().toString())
                    .hasSameSizeAs(codes)
                    .noneMatch(d -> d.name().startsWith("unknown"));
        }
        WfdbHeader e07500 = WfdbHeader.read(DataDirs.resolve("cinc2021").resolve("E07500.hea"));
        assertThat(CincLabels.dxCodes(e07500)).containsExactly("67741000119109", "426177001");
    }

    @Test
    void cpscClassesFollowTheReadmeAndTheAfEpisodesAgree() throws IOException {
        Path dir = DataDirs.resolve("cpsc2021");
        for (String rec : Files.readAllLines(dir.resolve("RECORDS"))) {
            if (rec.isBlank()) {
                continue;
            }
            WfdbRecord r = WfdbRecord.read(dir.resolve(rec.strip()));
            Cpsc2021Class cls = Cpsc2021Class.of(r.header());
            int patient = Integer.parseInt(rec.split("_")[1]);
            Cpsc2021Class expected =
                    switch (patient) {
                        case 8 -> Cpsc2021Class.PERSISTENT_AF;
                        case 21 -> Cpsc2021Class.NON_AF;
                        case 92 -> Cpsc2021Class.PAROXYSMAL_AF;
                        default -> throw new AssertionError("unexpected record " + rec);
                    };
            assertThat(cls).as(rec).isEqualTo(expected);

            var episodes =
                    RhythmEpisodes.of(
                            AnnotationReader.read(dir.resolve(rec.strip()), "atr"), r.length());
            long af =
                    RhythmEpisodes.only(episodes, "AFIB").stream()
                            .mapToLong(RhythmEpisodes.Episode::length)
                            .sum();
            double fraction = af / (double) r.length();
            switch (cls) {
                case NON_AF -> assertThat(af).as(rec).isZero();
                case PERSISTENT_AF -> assertThat(fraction).as(rec).isGreaterThan(0.99);
                case PAROXYSMAL_AF -> assertThat(fraction).as(rec).isStrictlyBetween(0.0, 1.0);
                default -> throw new AssertionError(cls);
            }
        }
    }

    @Test
    void aHeaderWithoutClassCommentIsAnError() throws IOException {
        WfdbHeader mit = WfdbHeader.read(DataDirs.resolve("mitdb").resolve("101.hea"));
        assertThatThrownBy(() -> Cpsc2021Class.of(mit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101");
    }
}
