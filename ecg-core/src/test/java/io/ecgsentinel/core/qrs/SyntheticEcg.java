package io.ecgsentinel.core.qrs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic ECG for detector tests: P, QRS and T waves as Gaussians around known R-peak
 * times, with RR variability, baseline wander and white noise, defined in seconds so the same
 * recording can be sampled at any rate.
 */
final class SyntheticEcg {

    final double fs;
    final float[][] leads;
    final long[] rPeaks;

    private SyntheticEcg(double fs, float[][] leads, long[] rPeaks) {
        this.fs = fs;
        this.leads = leads;
        this.rPeaks = rPeaks;
    }

    /**
     * @param seconds duration
     * @param leadCount leads; lead k has its own gain and polarity (lead 1 is inverted, like V1)
     * @param noiseMv standard deviation of the white noise in mV
     */
    static SyntheticEcg generate(double fs, double seconds, int leadCount, double noiseMv, long seed) {
        Random rnd = new Random(seed);
        List<Double> beats = new ArrayList<>();
        double t = 0.4 + 0.3 * rnd.nextDouble();
        while (t < seconds - 0.4) {
            beats.add(t);
            t += 0.65 + 0.35 * rnd.nextDouble(); // 57-92 bpm, irregular
        }
        int len = (int) Math.round(seconds * fs);
        float[][] leads = new float[leadCount][len];
        for (int k = 0; k < leadCount; k++) {
            double gain = (k % 2 == 0 ? 1.0 : -0.6) * (1 - 0.1 * (k / 2));
            for (int i = 0; i < len; i++) {
                double s = i / fs;
                double v = 0.15 * Math.sin(2 * Math.PI * 0.25 * s + k); // baseline wander
                for (double b : beats) {
                    double d = s - b;
                    if (d < -0.3 || d > 0.5) {
                        continue;
                    }
                    v += gain * (0.12 * g(d, -0.17, 0.025) - 0.12 * g(d, -0.025, 0.008)
                            + 1.1 * g(d, 0, 0.010) - 0.3 * g(d, 0.025, 0.010) + 0.3 * g(d, 0.26, 0.055));
                }
                leads[k][i] = (float) (v + noiseMv * rnd.nextGaussian());
            }
        }
        long[] r = beats.stream().mapToLong(b -> Math.round(b * fs)).toArray();
        return new SyntheticEcg(fs, leads, r);
    }

    private static double g(double d, double centre, double width) {
        double z = (d - centre) / width;
        return Math.exp(-0.5 * z * z);
    }
}
