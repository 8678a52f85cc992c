package io.ecgsentinel.core.qrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThatCode;

import io.ecgsentinel.core.config.DataDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link QrsDetector} gives bit-identical results to the version that wrote {@code qrs-golden.txt}:
 * the same beats and decision times, the same candidate evidence to the last bit, the same state
 * bytes (Java serialization and {@code writeTo}) at every checkpoint of the scenarios in {@link
 * QrsGolden}. For optimisations that must not change a thing; a deliberate change of the
 * detector's results regenerates the file (command in {@link QrsGolden}).
 */
class QrsDetectorGoldenTest {

    /** The golden lines of the MIT-BIH scenarios, or of the synthetic ones. */
    private static List<String> golden(boolean mitdb) throws IOException {
        try (InputStream in = QrsDetectorGoldenTest.class.getResourceAsStream(QrsGolden.RESOURCE)) {
            assertThat(in).as(QrsGolden.RESOURCE).isNotNull();
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(l -> !l.startsWith("#") && l.startsWith("mitdb") == mitdb)
                    .toList();
        }
    }

    @Test
    void syntheticScenariosGiveTheGoldenResults() throws IOException {
        List<String> expected = golden(false);
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(QrsGolden.synthetic()).containsExactlyElementsOf(expected);
    }

    @Test
    void mitdbRecordsGiveTheGoldenResults() throws IOException {
        assumeThatCode(() -> DataDirs.resolve("mitdb")).as("MIT-BIH data directory").doesNotThrowAnyException();
        List<String> expected = golden(true);
        assertThat(expected).hasSize(QrsGolden.MITDB_RECORDS.size() * 6);
        assertThat(QrsGolden.mitdb()).containsExactlyElementsOf(expected);
    }
}
