package io.ecgsentinel.core.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.signal.EcgSignal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Writing records: write-then-read gives the same signal and a header whose checksums verify. */
class WfdbWriterTest {

    @TempDir Path dir;

    @Test
    void writtenMillivoltsReadBackWithinHalfAnAdcUnitAndTheHeaderVerifies() throws IOException {
        Random rnd = new Random(42);
        float[][] mv = new float[3][2501];
        for (float[] lead : mv) {
            for (int i = 0; i < lead.length; i++) {
                lead[i] = (float) (rnd.nextGaussian() * 1.5);
            }
        }
        double gain = 1000;
        Path hea =
                WfdbWriter.write(
                        dir,
                        "synthetic_01",
                        500,
                        List.of("I", "II", "V1"),
                        mv,
                        gain,
                        List.of("Age: 60", "written by WfdbWriterTest"));

        WfdbRecord r = WfdbRecord.read(hea);

        assertThat(r.verify()).isEmpty();
        assertThat(r.samplingFrequency()).isEqualTo(500);
        assertThat(r.signalNames()).containsExactly("I", "II", "V1");
        assertThat(r.length()).isEqualTo(2501);
        assertThat(r.header().comments()).containsExactly("Age: 60", "written by WfdbWriterTest");
        for (int i = 0; i < 3; i++) {
            float[] back = r.millivolts(i);
            for (int s = 0; s < back.length; s++) {
                assertThat((double) back[s]).isCloseTo(mv[i][s], within(0.5 / gain + 1e-6));
                assertThat(r.adc(i)[s]).isEqualTo((int) Math.round(mv[i][s] * gain));
            }
        }
    }

    @Test
    void mitbihRecordSurvivesAConversionToFormat16Exactly() throws IOException {
        WfdbRecord original = WfdbRecord.read(DataDirs.resolve("mitdb").resolve("101.hea"));
        EcgSignal signal = EcgSignal.from(original);

        WfdbRecord copy = WfdbRecord.read(WfdbWriter.write(dir, signal, 200, List.of()));

        assertThat(copy.verify()).isEmpty();
        assertThat(copy.header().signals()).allSatisfy(s -> assertThat(s.format()).isEqualTo(16));
        for (int i = 0; i < original.signalCount(); i++) {
            int baseline = original.header().signals().get(i).baseline();
            int[] a = original.adc(i);
            int[] b = copy.adc(i);
            int[] shifted = new int[a.length];
            for (int s = 0; s < a.length; s++) {
                shifted[s] = a[s] - baseline;
            }
            // Arrays.mismatch, not AssertJ's containsExactly, which is quadratic on 650,000 samples
            assertThat(Arrays.mismatch(shifted, b))
                    .as("first differing ADC sample of signal %d", i)
                    .isEqualTo(-1);
            assertThat(Arrays.mismatch(original.millivolts(i), copy.millivolts(i)))
                    .as("first differing mV sample of signal %d", i)
                    .isEqualTo(-1);
        }
        assertThat(EcgSignal.from(copy)).isEqualTo(signal);
    }

    @Test
    void ptbxlRecordRoundTripsAtItsOwnGain() throws IOException {
        Path src = DataDirs.resolve("ptbxl").resolve("records100/00000/00001_lr.hea");
        EcgSignal signal = EcgSignal.read(src);

        EcgSignal back = EcgSignal.read(WfdbWriter.write(dir, signal, 1000, List.of()));

        assertThat(back).isEqualTo(signal);
    }

    @Test
    void gapsSaturationAndFractionalRatesSurvive() throws IOException {
        float[][] mv = {{0f, Float.NaN, 1000f, -1000f, 0.25f}};
        Path hea = WfdbWriter.write(dir, "edge", 128.5, List.of("ECG lead"), mv, 200, List.of());

        WfdbRecord r = WfdbRecord.read(hea);

        assertThat(r.verify()).isEmpty();
        assertThat(r.samplingFrequency()).isEqualTo(128.5);
        assertThat(r.signalNames()).containsExactly("ECG lead");
        assertThat(r.adc(0)).containsExactly(0, WfdbRecord.INVALID_SAMPLE, 32767, -32767, 50);
        float[] back = r.millivolts(0);
        assertThat(back[1]).isNaN();
        assertThat(back[2]).isEqualTo(32767 / 200f);
        assertThat(back[4]).isEqualTo(0.25f);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(
                        () ->
                                WfdbWriter.write(
                                        dir,
                                        "bad name",
                                        250,
                                        List.of("I"),
                                        new float[][] {{0}},
                                        200,
                                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record name");
        assertThatThrownBy(
                        () ->
                                WfdbWriter.write(
                                        dir,
                                        "r",
                                        250,
                                        List.of("I", "II"),
                                        new float[][] {{0}, {0, 1}},
                                        200,
                                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("II");
        assertThatThrownBy(
                        () ->
                                WfdbWriter.write(
                                        dir,
                                        "r",
                                        250,
                                        List.of("I"),
                                        new float[][] {{0}},
                                        0,
                                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gain");
    }
}
