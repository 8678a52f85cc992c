package io.ecgsentinel.core.qrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.core.dsp.TestSignals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link QrsDetector#writeTo} / {@link QrsDetector#readFrom}: the restored detector has every field
 * of the original (compared through Java serialization, which covers all of them, so a field the
 * binary form forgets fails here) and detects the same beats from then on, at cut points during
 * the learning phase, in steady state, and inside a gap.
 */
class QrsDetectorStateTest {

    private static byte[] binary(QrsDetector d) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            d.writeTo(out);
        }
        return b.toByteArray();
    }

    private static QrsDetector restore(byte[] bytes) throws IOException {
        return QrsDetector.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static List<Long> run(QrsDetector d, float[][] x, int from, int to) {
        List<Long> beats = new ArrayList<>();
        for (int k = from; k < to; k += 360) {
            d.process(x, k, Math.min(to, k + 360), (s, dec) -> beats.add(s));
        }
        return beats;
    }

    @Test
    void restoredDetectorIsTheSameAndContinuesIdentically() throws IOException {
        float[][] x = {TestSignals.lead("mitdb", "208", 0, 120), TestSignals.lead("mitdb", "208", 1, 120)};
        // a gap on one lead across the third cut point
        for (int i = 60 * 360; i < 63 * 360; i++) x[1][i] = Float.NaN;
        for (int cut : new int[] {3 * 360, 40 * 360, 61 * 360}) {
            QrsDetector a = new QrsDetector(360, 2);
            run(a, x, 0, cut);
            QrsDetector b = restore(binary(a));
            assertThat(b.toBytes()).as("every field at %d", cut).isEqualTo(a.toBytes());
            List<Long> fromA = run(a, x, cut, x[0].length);
            List<Long> fromB = run(b, x, cut, x[0].length);
            assertThat(fromA).hasSizeGreaterThan(50);
            assertThat(fromB).isEqualTo(fromA);
        }
    }

    @Test
    void otherSettingsAndLeadCountsRoundTrip() throws IOException {
        QrsDetector.Settings s = QrsDetector.Settings.defaults();
        QrsDetector.Settings other = new QrsDetector.Settings(s.lowHz() + 1, s.highHz() - 2, s.integrationSeconds(),
                s.refractorySeconds(), s.tWaveSeconds(), s.tWaveSlopeRatio(), s.thresholdPosition(), s.searchBackFactor(),
                s.searchBackRatio(), s.learnSeconds());
        QrsDetector a = new QrsDetector(500, 12, other);
        float[][] x = new float[12][2000];
        for (int k = 0; k < 12; k++) x[k] = TestSignals.noise(k, 2000, 0.1, 0);
        run(a, x, 0, 2000);
        QrsDetector b = restore(binary(a));
        assertThat(b.settings()).isEqualTo(other);
        assertThat(b.leadCount()).isEqualTo(12);
        assertThat(b.toBytes()).isEqualTo(a.toBytes());
    }

    @Test
    void anotherFormatIsRejectedWithAMessage() throws IOException {
        byte[] bytes = binary(new QrsDetector(360, 2));
        bytes[3] = 99; // the format number
        assertThatThrownBy(() -> restore(bytes)).isInstanceOf(IOException.class).hasMessageContaining("format 99");
    }
}
