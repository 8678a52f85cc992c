package io.ecgsentinel.core.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.core.config.DataDirs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * MIT-format annotation writing: real files re-encode to the same annotations, and the encoding
 * details.
 */
class AnnotationWriterTest {

    @TempDir Path dir;

    @Test
    void everyAnnotationFileOfTheDataReadsBackAsTheSameListAfterRewriting() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(DataDirs.resolve())) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".atr")).sorted().toList();
        }
        // mitdb 26 + nstdb 2 + cpsc2021 9
        assertThat(files).hasSize(37);
        List<String> mismatches = new ArrayList<>();
        for (Path f : files) {
            List<Annotation> original = AnnotationReader.read(f);
            Path copy = dir.resolve(f.getFileName());
            AnnotationWriter.write(copy, original);
            if (!AnnotationReader.read(copy).equals(original)) {
                mismatches.add(f.toString());
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void cpscFilesAreReproducedByteForByte() throws IOException {
        Path cpsc = DataDirs.resolve("cpsc2021");
        List<Path> files;
        try (Stream<Path> s = Files.list(cpsc)) {
            files = s.filter(p -> p.toString().endsWith(".atr")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            byte[] original = Files.readAllBytes(f);
            assertThat(AnnotationWriter.encode(AnnotationReader.parse(original, f.toString())))
                    .as(f.getFileName().toString())
                    .isEqualTo(original);
        }
    }

    @Test
    void mitbihFormWithNulTerminatedAuxReproducesRecord101ByteForByte() throws IOException {
        byte[] original = Files.readAllBytes(DataDirs.resolve("mitdb").resolve("101.atr"));
        List<Annotation> anns = AnnotationReader.parse(original, "101.atr");
        assertThat(AnnotationWriter.encode(anns, true)).isEqualTo(original);
        // the default form differs in bytes but not in meaning
        assertThat(AnnotationWriter.encode(anns, false)).isNotEqualTo(original);
        assertThat(AnnotationReader.parse(AnnotationWriter.encode(anns, false), "x"))
                .isEqualTo(anns);
    }

    @Test
    void oneBeatIsOneWordPlusTheEndWord() {
        byte[] b = AnnotationWriter.encode(List.of(beat(10, AnnotationCodes.NORMAL)));
        // code 1 in the upper 6 bits, interval 10 in the lower 10: 0x040A little-endian
        assertThat(b).containsExactly(0x0A, 0x04, 0x00, 0x00);
    }

    @Test
    void intervalsAbove1023UseSkipWithHighHalfFirst() {
        List<Annotation> anns = List.of(beat(1023, 1), beat(1023 + 70_000, 5));
        byte[] b = AnnotationWriter.encode(anns);
        assertThat(b)
                .containsExactly(
                        0xFF, 0x07, // N after 1023: fits, no SKIP
                        0x00, 0xEC, // SKIP (59 << 10)
                        0x01, 0x00, 0x70, 0x11, // 70000 = 0x0001_1170: high word 1, low word 0x1170
                        0x00, 0x14, // V (5 << 10) with interval 0
                        0x00, 0x00);
        assertThat(AnnotationReader.parse(b, "t")).isEqualTo(anns);
    }

    @Test
    void numChannelAndSubtypeAreWrittenOnlyWhenNeeded() {
        List<Annotation> anns =
                List.of(
                        new Annotation(5, 1, 0, 0, 0, ""),
                        new Annotation(6, 1, 0, 0, 0, ""), // nothing changes: one word
                        new Annotation(7, 1, 3, 2, -4, ""), // SUB, CHN, NUM
                        new Annotation(8, 1, 0, 2, -4, "")); // carried CHN and NUM: one word
        byte[] b = AnnotationWriter.encode(anns);
        assertThat(b).hasSize(2 * (1 + 1 + 4 + 1 + 1));
        assertThat(AnnotationReader.parse(b, "t")).isEqualTo(anns);
    }

    @Test
    void auxStringsArePaddedToWholeWords() {
        List<Annotation> odd = List.of(new Annotation(3, AnnotationCodes.RHYTHM, 0, 0, 0, "(AFIB"));
        List<Annotation> even = List.of(new Annotation(3, AnnotationCodes.RHYTHM, 0, 0, 0, "(N"));
        assertThat(AnnotationWriter.encode(odd)).hasSize(2 + 2 + 6 + 2);
        assertThat(AnnotationWriter.encode(even)).hasSize(2 + 2 + 2 + 2);
        assertThat(AnnotationReader.parse(AnnotationWriter.encode(odd), "t").get(0).rhythm())
                .isEqualTo("AFIB");
        assertThat(AnnotationReader.parse(AnnotationWriter.encode(even), "t")).isEqualTo(even);
    }

    @Test
    void codeZeroAnnotationsNeverProduceTheEndWord() {
        List<Annotation> anns =
                List.of(
                        new Annotation(0, 0, 0, 0, 0, "start"),
                        new Annotation(0, 0, 0, 0, 0, ""),
                        new Annotation(40, 1, 0, 0, 0, ""),
                        new Annotation(40, 0, 0, 0, 0, "note"));
        assertThat(AnnotationReader.parse(AnnotationWriter.encode(anns), "t")).isEqualTo(anns);
    }

    @Test
    void invalidInputIsRejectedWithTheAnnotationIndex() {
        assertThatThrownBy(() -> AnnotationWriter.encode(List.of(beat(10, 1), beat(5, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("annotation 1");
        assertThatThrownBy(() -> AnnotationWriter.encode(List.of(beat(10, AnnotationCodes.SKIP))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("code 59");
        assertThatThrownBy(
                        () ->
                                AnnotationWriter.encode(
                                        List.of(new Annotation(1, 28, 0, 0, 0, "x".repeat(300)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aux");
    }

    private static Annotation beat(long sample, int code) {
        return new Annotation(sample, code, 0, 0, 0, "");
    }
}
