package io.ecgsentinel.core.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Multi-segment records: segments concatenated, gaps as NaN, variable layouts rescaled. */
class MultiSegmentRecordTest {

    @TempDir Path dir;

    @Test
    void variableLayoutRecordConcatenatesSegmentsWithNaNGaps() throws IOException {
        int[] seg1Ii = ramp(100, -50);
        int[] seg1V = ramp(100, 7);
        int[] seg2Ii = new int[80];
        for (int i = 0; i < seg2Ii.length; i++) {
            seg2Ii[i] = 2 * (i - 40); // even, so halving to the layout's gain is exact
        }
        WfdbWriter.writeAdc(
                dir,
                "seg1",
                250,
                16,
                0,
                List.of("II", "V"),
                new int[][] {seg1Ii, seg1V},
                new double[] {200, 200},
                new int[2],
                "mV",
                List.of());
        // the second segment has only lead II, at twice the gain of the layout
        WfdbWriter.writeAdc(
                dir,
                "seg2",
                250,
                212,
                0,
                List.of("II"),
                new int[][] {seg2Ii},
                new double[] {400},
                new int[1],
                "mV",
                List.of());
        write(
                "rec_layout.hea",
                "rec_layout 2 250 0\n~ 0 200(0)/mV 16 0 0 0 0 II\n~ 0 200(0)/mV 16 0 0 0 0 V\n");
        write("rec.hea", "rec/4 2 250 230\nrec_layout 0\nseg1 100\n~ 50\nseg2 80\n# a comment\n");

        WfdbRecord r = WfdbRecord.read(dir.resolve("rec.hea"));

        assertThat(r.name()).isEqualTo("rec");
        assertThat(r.header().numberOfSegments()).isEqualTo(4);
        assertThat(r.header().comments()).containsExactly("a comment");
        assertThat(r.signalNames()).containsExactly("II", "V");
        assertThat(r.length()).isEqualTo(230);
        assertThat(r.verify()).isEmpty();
        float[] ii = r.millivolts(0);
        float[] v = r.millivolts(1);
        for (int i = 0; i < 100; i++) {
            assertThat(ii[i]).isEqualTo((float) (seg1Ii[i] / 200.0));
            assertThat(v[i]).isEqualTo((float) (seg1V[i] / 200.0));
        }
        for (int i = 100; i < 150; i++) {
            assertThat(ii[i]).isNaN();
            assertThat(v[i]).isNaN();
        }
        for (int i = 150; i < 230; i++) {
            assertThat(ii[i]).isEqualTo((float) (seg2Ii[i - 150] / 400.0));
            assertThat(v[i]).as("V is not in segment 2").isNaN();
        }
    }

    @Test
    void fixedLayoutRecordIsAPlainConcatenation() throws IOException {
        int[] a = ramp(30, 0);
        int[] b = ramp(20, 100);
        WfdbWriter.writeAdc(
                dir,
                "a",
                360,
                16,
                0,
                List.of("MLII"),
                new int[][] {a},
                new double[] {200},
                new int[1],
                "mV",
                List.of());
        WfdbWriter.writeAdc(
                dir,
                "b",
                360,
                16,
                0,
                List.of("MLII"),
                new int[][] {b},
                new double[] {200},
                new int[1],
                "mV",
                List.of());
        write("fix.hea", "fix/2 1 360 50\na 30\nb 20\n");

        WfdbRecord r = WfdbRecord.read(dir.resolve("fix"));

        int[] expected = new int[50];
        System.arraycopy(a, 0, expected, 0, 30);
        System.arraycopy(b, 0, expected, 30, 20);
        assertThat(r.adc(0)).containsExactly(expected);
        assertThat(r.samplingFrequency()).isEqualTo(360);
    }

    @Test
    void aCorruptSegmentIsReportedByVerify() throws IOException {
        WfdbWriter.writeAdc(
                dir,
                "ok",
                100,
                16,
                0,
                List.of("II"),
                new int[][] {ramp(10, 0)},
                new double[] {200},
                new int[1],
                "mV",
                List.of());
        WfdbWriter.writeAdc(
                dir,
                "bad",
                100,
                16,
                0,
                List.of("II"),
                new int[][] {ramp(10, 5)},
                new double[] {200},
                new int[1],
                "mV",
                List.of());
        Path bad = dir.resolve("bad.dat");
        byte[] bytes = Files.readAllBytes(bad);
        bytes[4] ^= 1;
        Files.write(bad, bytes);
        write("two.hea", "two/2 1 100 20\nok 10\nbad 10\n");

        assertThat(WfdbRecord.read(dir.resolve("two")).verify())
                .singleElement()
                .asString()
                .contains("bad")
                .contains("checksum");
    }

    @Test
    void segmentLengthsThatDisagreeWithTheMasterHeaderAreAnError() throws IOException {
        WfdbWriter.writeAdc(
                dir,
                "s",
                100,
                16,
                0,
                List.of("II"),
                new int[][] {ramp(10, 0)},
                new double[] {200},
                new int[1],
                "mV",
                List.of());
        write("m.hea", "m/1 1 100 12\ns 12\n");
        assertThatThrownBy(() -> WfdbRecord.read(dir.resolve("m")))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("segment s has 10 samples");
    }

    @Test
    void theSingleSegmentHeaderParserStillRejectsMasterHeaders() {
        assertThatThrownBy(
                        () ->
                                WfdbHeader.parse(
                                        List.of("m/2 1 100 20", "a 10", "b 10"), dir, "m.hea"))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("multi-segment");
        assertThat(MultiSegmentHeader.isMultiSegment(List.of("# c", "m/2 1 100 20"))).isTrue();
        assertThat(MultiSegmentHeader.isMultiSegment(List.of("100 2 360 650000"))).isFalse();
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private static int[] ramp(int n, int start) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = start + 3 * i - (i % 7) * 11;
        }
        return a;
    }
}
