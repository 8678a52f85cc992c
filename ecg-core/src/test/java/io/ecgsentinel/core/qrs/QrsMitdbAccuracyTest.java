package io.ecgsentinel.core.qrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.qrs.QrsEvaluation.RecordResult;
import io.ecgsentinel.core.qrs.QrsEvaluation.Summary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Detection accuracy on the MIT-BIH development records, scored like EC57 over whole records.
 * These can honestly fail: they guard the product target, not a tuned snapshot.
 */
class QrsMitdbAccuracyTest {

    /** The 22 non-paced MIT-BIH records of the development split (de Chazal DS1). */
    static final List<String> DS1 = List.of("101", "106", "108", "109", "112", "114", "115", "116", "118",
            "119", "122", "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230");

    @ParameterizedTest(name = "record {0}")
    @ValueSource(strings = {"101", "112", "115", "122", "205", "220", "230"})
    void cleanRecordsReachAtLeast99_5PercentEach(String record) throws IOException {
        RecordResult r = QrsEvaluation.evaluate(DataDirs.resolve("mitdb"), record, List.of(),
                QrsDetector.Settings.defaults());
        assertThat(r.match().sensitivity()).as("Se of %s", record).isGreaterThanOrEqualTo(99.5);
        assertThat(r.match().positivePredictivity()).as("+P of %s", record).isGreaterThanOrEqualTo(99.5);
    }

    @Test
    void grossTargetOnTheTwentyTwoNonPacedRecordsWithinAMinute() throws IOException {
        Path mitdb = DataDirs.resolve("mitdb");
        long start = System.nanoTime();
        List<RecordResult> results = QrsEvaluation.evaluateAll(mitdb, DS1, List.of(),
                QrsDetector.Settings.defaults(), QrsEvaluation.DEFAULT_CHUNK, QrsEvaluation.defaultThreads());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Summary s = Summary.of(results);
        assertThat(results).noneMatch(RecordResult::paced);
        assertThat(s.referenceBeats()).isEqualTo(51_021);
        assertThat(s.sensitivity()).as(s.grossLine()).isGreaterThanOrEqualTo(99.7);
        assertThat(s.positivePredictivity()).as(s.grossLine()).isGreaterThanOrEqualTo(99.7);
        assertThat(took).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void pacedRecordsAreRecognisedFromTheirAnnotations() throws IOException {
        Path mitdb = DataDirs.resolve("mitdb");
        for (String r : List.of("102", "104", "107", "217")) {
            assertThat(QrsEvaluation.isPaced(io.ecgsentinel.core.wfdb.AnnotationReader.read(mitdb.resolve(r), "atr")))
                    .as(r).isTrue();
        }
        assertThat(QrsEvaluation.isPaced(io.ecgsentinel.core.wfdb.AnnotationReader.read(mitdb.resolve("208"), "atr")))
                .isFalse();
    }

    @Test
    void noiseStressRecordWithModerateNoise() throws IOException {
        // 118 with electrode-motion noise at 24 dB SNR: the detector must stay near clean performance
        RecordResult r = QrsEvaluation.evaluate(DataDirs.resolve("nstdb"), "118e24", List.of(),
                QrsDetector.Settings.defaults());
        assertThat(r.match().sensitivity()).isGreaterThanOrEqualTo(99.5);
        assertThat(r.match().positivePredictivity()).isGreaterThanOrEqualTo(99.5);
    }
}
