package io.ecgsentinel.schemas;

import java.util.List;
import java.util.Random;

/**
 * A deterministic, roughly realistic 12-lead ECG in millivolts for tests and the encoding measurement:
 * PQRST complexes as Gaussian waves with per-lead amplitudes, beat-to-beat RR variation, baseline wander,
 * 50 Hz mains and white noise. Not clinical: it only has to look like ECG to a compressor and a codec.
 */
final class SyntheticEcg {

    static final List<String> LEADS_12 =
            List.of("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6");

    // Per-lead scale of the QRS and of the T wave (sign = polarity).
    private static final double[] QRS = {0.8, 1.2, 0.5, -0.9, 0.3, 0.8, -0.6, 0.4, 0.9, 1.5, 1.4, 1.1};
    private static final double[] T = {0.25, 0.35, 0.1, -0.3, 0.1, 0.2, -0.1, 0.4, 0.45, 0.4, 0.3, 0.25};

    private SyntheticEcg() {}

    /** {@code seconds} of 12-lead signal at {@code rateHz}, as {@code [lead][sample]} millivolts. */
    static float[][] twelveLead(long seed, int rateHz, double seconds) {
        Random random = new Random(seed);
        int n = (int) Math.round(seconds * rateHz);
        float[][] mv = new float[12][n];
        double beat = 0.2; // first R peak, s
        double rr = 60.0 / 72;
        while (beat - 0.3 < seconds) {
            for (int i = Math.max(0, (int) ((beat - 0.35) * rateHz));
                    i < Math.min(n, (int) ((beat + 0.5) * rateHz));
                    i++) {
                double t = i / (double) rateHz - beat;
                double p = 0.12 * gauss(t, -0.18, 0.025);
                double q = -0.12 * gauss(t, -0.03, 0.008);
                double r = gauss(t, 0, 0.011);
                double s = -0.25 * gauss(t, 0.03, 0.009);
                double tw = gauss(t, 0.28, 0.05);
                for (int k = 0; k < 12; k++) {
                    mv[k][i] += (float) (p * Math.signum(QRS[k]) + QRS[k] * (q + r + s) + T[k] * tw);
                }
            }
            beat += rr * (1 + 0.05 * random.nextGaussian());
        }
        for (int k = 0; k < 12; k++) {
            double phase = random.nextDouble() * 2 * Math.PI;
            for (int i = 0; i < n; i++) {
                double t = i / (double) rateHz;
                mv[k][i] +=
                        (float)
                                (0.15 * Math.sin(2 * Math.PI * 0.3 * t + phase)
                                        + 0.02 * Math.sin(2 * Math.PI * 50 * t)
                                        + 0.01 * random.nextGaussian());
            }
        }
        return mv;
    }

    /** Samples {@code [from, from + count)} of every lead. */
    static float[][] slice(float[][] mv, int from, int count) {
        float[][] out = new float[mv.length][count];
        for (int k = 0; k < mv.length; k++) {
            System.arraycopy(mv[k], from, out[k], 0, count);
        }
        return out;
    }

    private static double gauss(double t, double mu, double sigma) {
        double z = (t - mu) / sigma;
        return Math.exp(-0.5 * z * z);
    }
}
