package io.ecgsentinel.core.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Proves every signal format the reader claims, since the shared data only has 212, 16 and {@code
 * +24} offsets. Two kinds of evidence: hand-made byte vectors built from the bit layouts of the
 * WFDB specification (these catch a decoder and encoder that are wrong in the same way), and
 * encode/write/read round trips through real files with 1-2 interleaved signals, lengths that leave
 * partial 212 pairs and 310/311 triples, and byte offsets.
 */
class SignalFormatTest {

    @TempDir Path dir;

    static final int[] FORMATS = {8, 16, 24, 32, 61, 80, 160, 212, 310, 311};

    // --- decoding known bytes -------------------------------------------------------------

    @Test
    void format16IsLittleEndianTwosComplement() {
        assertThat(SampleCodec.decode(16, bytes(0x34, 0x12, 0xFF, 0xFF, 0x00, 0x80), 0, 3))
                .containsExactly(0x1234, -1, -32768);
    }

    @Test
    void format61IsBigEndian() {
        assertThat(SampleCodec.decode(61, bytes(0x12, 0x34, 0xFF, 0xFE), 0, 2))
                .containsExactly(0x1234, -2);
    }

    @Test
    void format160IsOffsetBinary() {
        assertThat(SampleCodec.decode(160, bytes(0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF), 0, 3))
                .containsExactly(0, -32768, 32767);
    }

    @Test
    void format80IsOffsetBinaryBytes() {
        assertThat(SampleCodec.decode(80, bytes(0x80, 0x00, 0xFF, 0x81), 0, 4))
                .containsExactly(0, -128, 127, 1);
    }

    @Test
    void format24And32AreLittleEndian() {
        assertThat(SampleCodec.decode(24, bytes(0x01, 0x02, 0x03, 0x01, 0x02, 0xFF), 0, 2))
                .containsExactly(0x030201, 0xFF0201 - (1 << 24));
        assertThat(
                        SampleCodec.decode(
                                32, bytes(0x01, 0x02, 0x03, 0x04, 0xFE, 0xFF, 0xFF, 0xFF), 0, 2))
                .containsExactly(0x04030201, -2);
    }

    @Test
    void format212PacksTwelveBitPairsIntoThreeBytes() {
        // sample 0 = byte 0 + low nibble of byte 1 as bits 8-11; sample 1 = byte 2 + high nibble
        assertThat(SampleCodec.decode(212, bytes(0x01, 0x23, 0x45, 0xFF, 0x0F, 0x00), 0, 4))
                .containsExactly(0x301, 0x245, -1, 0);
        assertThat(SampleCodec.decode(212, bytes(0x00, 0x08), 0, 1)).containsExactly(-2048);
    }

    @Test
    void format310PacksThreeTenBitSamplesIntoTwoWords() {
        // w0 = 0x0802: bits 1-10 give sample 0 = 1, bits 11-15 the low 5 bits of sample 2 (= 1)
        // w1 = 0x0FFE: bits 1-10 give sample 1 = 0x3FF = -1, bits 11-15 the high 5 bits of sample 2
        // (= 1)
        assertThat(SampleCodec.decode(310, bytes(0x02, 0x08, 0xFE, 0x0F), 0, 3))
                .containsExactly(1, -1, 33);
    }

    @Test
    void format311PacksThreeTenBitSamplesIntoOneLittleEndianWord() {
        // w = 0x002FFC01: bits 0-9 = 1, bits 10-19 = 0x3FF = -1, bits 20-29 = 2
        assertThat(SampleCodec.decode(311, bytes(0x01, 0xFC, 0x2F, 0x00), 0, 3))
                .containsExactly(1, -1, 2);
    }

    @Test
    void format8AccumulatesDifferencesFromTheInitialValuePerSignal() throws IOException {
        // two interleaved signals with initial values 100 and -5; the first difference of each is 0
        Path dat = dir.resolve("d8.dat");
        Files.write(dat, bytes(0, 0, 5, 1, 0xFD, 1));
        Files.writeString(
                dir.resolve("d8.hea"),
                "d8 2 250 3\n" + "d8.dat 8 200 8 0 100 307 0 a\n" + "d8.dat 8 200 8 0 -5 -12 0 b\n",
                StandardCharsets.US_ASCII);
        WfdbRecord r = WfdbRecord.read(dir.resolve("d8.hea"));
        assertThat(r.adc(0)).containsExactly(100, 105, 102);
        assertThat(r.adc(1)).containsExactly(-5, -4, -3);
        assertThat(r.verify()).isEmpty();
    }

    @Test
    void samplesPerFrameAboveOneInterleavesBlocks() throws IOException {
        // frame = 2 samples of signal a, then 1 of signal b
        Path dat = dir.resolve("spf.dat");
        Files.write(dat, SampleCodec.encode(16, new int[] {1, 2, 10, 3, 4, 20}));
        Files.writeString(
                dir.resolve("spf.hea"),
                "spf 2 100 2\n"
                        + "spf.dat 16x2 200 16 0 1 10 0 a\n"
                        + "spf.dat 16 200 16 0 10 30 0 b\n",
                StandardCharsets.US_ASCII);
        WfdbRecord r = WfdbRecord.read(dir.resolve("spf"));
        assertThat(r.adc(0)).containsExactly(1, 2, 3, 4);
        assertThat(r.adc(1)).containsExactly(10, 20);
        assertThat(r.verify()).isEmpty();
    }

    // --- round trips through files ---------------------------------------------------------

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int format : FORMATS) {
            for (int signals : new int[] {1, 2}) {
                for (int frames : new int[] {1000, 1001, 1002}) {
                    for (int offset : new int[] {0, 24}) {
                        out.add(Arguments.of(format, signals, frames, offset));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "format {0}, {1} signals, {2} frames, offset {3}")
    @MethodSource("cases")
    void writtenSamplesReadBackUnchanged(int format, int signals, int frames, int offset)
            throws IOException {
        int[][] adc =
                randomSamples(
                        format, signals, frames, 31L * format + 7L * frames + signals + offset);
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < signals; i++) {
            leads.add("S" + i);
        }
        String name = "f" + format + "_" + signals + "_" + frames + "_" + offset;
        WfdbWriter.writeAdc(
                dir,
                name,
                250,
                format,
                offset,
                leads,
                adc,
                gains(signals),
                new int[signals],
                "mV",
                List.of("format test"));

        WfdbRecord r = WfdbRecord.read(dir.resolve(name + ".hea"));

        assertThat(r.header().signals())
                .allSatisfy(
                        s -> {
                            assertThat(s.format()).isEqualTo(format);
                            assertThat(s.byteOffset()).isEqualTo(offset);
                        });
        for (int i = 0; i < signals; i++) {
            assertThat(r.adc(i)).as("signal %d", i).containsExactly(adc[i]);
        }
        assertThat(r.verify()).isEmpty();
        assertThat(Files.size(dir.resolve(name + ".dat")))
                .isEqualTo(offset + SampleCodec.bytesFor(format, (long) signals * frames));
    }

    @Test
    void cincStyleFormatWithSamplesPerFrameAndOffsetIsRead() throws IOException {
        int[][] adc = randomSamples(16, 2, 500, 99);
        WfdbWriter.writeAdc(
                dir,
                "mat",
                500,
                16,
                24,
                List.of("I", "II"),
                adc,
                gains(2),
                new int[2],
                "mV",
                List.of());
        Path hea = dir.resolve("mat.hea");
        String text = Files.readString(hea, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(" 16+24 ");
        Files.writeString(hea, text.replace(" 16+24 ", " 16x1+24 "), StandardCharsets.ISO_8859_1);

        WfdbRecord r = WfdbRecord.read(hea);

        assertThat(r.header().signals().get(1).byteOffset()).isEqualTo(24);
        assertThat(r.adc(0)).containsExactly(adc[0]);
        assertThat(r.adc(1)).containsExactly(adc[1]);
        assertThat(r.verify()).isEmpty();
    }

    @ParameterizedTest(name = "format {0}")
    @MethodSource("formats")
    void theFormatsReservedMinimumReadsAsNaN(int format) throws IOException {
        int invalid = SampleCodec.invalidValue(format);
        int[][] adc = {{0, invalid, invalid + 1}};
        if (format == 8) {
            adc = new int[][] {{0, 1, 2}}; // format 8 has no reserved value; checked below
        }
        WfdbWriter.writeAdc(
                dir,
                "inv" + format,
                100,
                format,
                0,
                List.of("x"),
                adc,
                gains(1),
                new int[1],
                "mV",
                List.of());
        float[] mv = WfdbRecord.read(dir.resolve("inv" + format)).millivolts(0);
        if (format == 8) {
            assertThat(mv).doesNotContain(Float.NaN);
        } else {
            assertThat(mv[0]).isEqualTo(0f);
            assertThat(mv[1]).isNaN();
            assertThat(mv[2]).isFinite();
        }
    }

    static Stream<Integer> formats() {
        return Arrays.stream(FORMATS).boxed();
    }

    @Test
    void encoderRejectsValuesOutsideTheFormat() {
        assertThatThrownBy(() -> SampleCodec.encode(212, new int[] {0, 2048}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048");
        assertThatThrownBy(() -> SampleCodec.encode(311, new int[] {-513}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTruncatedSignalFileIsReportedWithTheCounts() throws IOException {
        WfdbWriter.writeAdc(
                dir,
                "short",
                100,
                16,
                0,
                List.of("x"),
                new int[][] {{1, 2, 3, 4}},
                gains(1),
                new int[1],
                "mV",
                List.of());
        Path hea = dir.resolve("short.hea");
        Files.writeString(
                hea, Files.readString(hea).replaceFirst("short 1 100 4", "short 1 100 5"));
        assertThatThrownBy(() -> WfdbRecord.read(hea))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("header says 5 samples")
                .hasMessageContaining("only 4");
    }

    private static int[][] randomSamples(int format, int signals, int frames, long seed) {
        Random rnd = new Random(seed);
        int[] range = SampleCodec.range(format);
        int[][] adc = new int[signals][frames];
        for (int i = 0; i < signals; i++) {
            if (format == 8) {
                // a random walk: format 8 stores steps of at most 127
                int v = rnd.nextInt(2001) - 1000;
                for (int s = 0; s < frames; s++) {
                    v += rnd.nextInt(255) - 127;
                    adc[i][s] = v;
                }
                continue;
            }
            for (int s = 0; s < frames; s++) {
                adc[i][s] =
                        (int)
                                (range[0]
                                        + (long)
                                                (rnd.nextDouble()
                                                        * ((long) range[1] - range[0] + 1)));
            }
            // the extremes, where sign extension and bit packing go wrong first
            adc[i][0] = range[0];
            adc[i][1] = range[1];
            adc[i][frames - 1] = range[0];
            adc[i][frames - 2] = -1;
        }
        return adc;
    }

    private static double[] gains(int n) {
        double[] g = new double[n];
        Arrays.fill(g, 200);
        return g;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
