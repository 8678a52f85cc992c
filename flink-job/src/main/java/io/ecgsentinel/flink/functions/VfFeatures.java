package io.ecgsentinel.flink.functions;

/**
 * Spectral signature of ventricular fibrillation on one lead: the dominant frequency of the
 * 0.5-20 Hz power spectrum (DFT at 0.25 Hz steps after removing the mean), the share of that power in
 * the 3-8 Hz band, and the amplitude (standard deviation). VF is a large, disorganised oscillation
 * whose power concentrates at 3-8 Hz, unlike sinus rhythm (dominant below 2-3 Hz with harmonics).
 */
public final class VfFeatures {

    public static final double BAND_LOW_HZ = 3.0;
    public static final double BAND_HIGH_HZ = 8.0;

    /** @param dominantHz frequency of the largest spectral bin; bandShare power share of 3-8 Hz; stdMv amplitude */
    public record Result(double dominantHz, double bandShare, double stdMv) {
        /** VF-like: dominant 3-8 Hz, at least 60 % of the power in that band, and large (std at least 0.25 mV). */
        public boolean vfLike() {
            return dominantHz >= BAND_LOW_HZ && dominantHz <= BAND_HIGH_HZ && bandShare >= 0.6 && stdMv >= 0.25;
        }
    }

    private VfFeatures() {}

    public static Result of(float[] x, int from, int to, double fs) {
        // box-decimate to about 50 Hz first: the band of interest ends at 20 Hz, and it makes the DFT cheap
        int q = Math.max(1, (int) Math.round(fs / 50.0));
        double dfs = fs / q;
        int m = (to - from) / q;
        double[] y = new double[m];
        int valid = 0;
        double mean = 0;
        for (int j = 0; j < m; j++) {
            double s = 0;
            int c = 0;
            for (int i = from + j * q; i < from + (j + 1) * q; i++) {
                if (!Float.isNaN(x[i])) {
                    s += x[i];
                    c++;
                }
            }
            if (c == 0) {
                y[j] = Double.NaN;
            } else {
                y[j] = s / c;
                mean += y[j];
                valid++;
            }
        }
        if (valid < m * 0.9 || valid < dfs) {
            return new Result(Double.NaN, 0, 0);
        }
        mean /= valid;
        double var = 0;
        for (int j = 0; j < m; j++) {
            if (Double.isNaN(y[j])) {
                y[j] = 0;
            } else {
                y[j] -= mean;
                var += y[j] * y[j];
            }
        }
        double std = Math.sqrt(var / valid);
        // The power at 0.5, 0.75, ... Hz, four frequencies per pass over y: each has its own
        // rotating phasor and sums (the same operations in the same order as one at a time), so the
        // four chains of dependent multiply-adds overlap instead of waiting on each other.
        int nf = 0;
        while (nf * 0.25 + 0.5 <= 20.0 && nf * 0.25 + 0.5 < dfs / 2) {
            nf++;
        }
        double[] power = new double[nf + 3];
        for (int f = 0; f < nf; f += 4) {
            double w0 = 2 * Math.PI * (0.5 + 0.25 * f) / dfs;
            double w1 = 2 * Math.PI * (0.5 + 0.25 * (f + 1)) / dfs;
            double w2 = 2 * Math.PI * (0.5 + 0.25 * (f + 2)) / dfs;
            double w3 = 2 * Math.PI * (0.5 + 0.25 * (f + 3)) / dfs;
            double cw0 = Math.cos(w0), sw0 = Math.sin(w0), cw1 = Math.cos(w1), sw1 = Math.sin(w1);
            double cw2 = Math.cos(w2), sw2 = Math.sin(w2), cw3 = Math.cos(w3), sw3 = Math.sin(w3);
            double c0 = 1, s0 = 0, re0 = 0, im0 = 0, c1 = 1, s1 = 0, re1 = 0, im1 = 0;
            double c2 = 1, s2 = 0, re2 = 0, im2 = 0, c3 = 1, s3 = 0, re3 = 0, im3 = 0;
            for (int j = 0; j < m; j++) {
                double v = y[j];
                re0 += v * c0;
                im0 -= v * s0;
                double n0 = c0 * cw0 - s0 * sw0;
                s0 = s0 * cw0 + c0 * sw0;
                c0 = n0;
                re1 += v * c1;
                im1 -= v * s1;
                double n1 = c1 * cw1 - s1 * sw1;
                s1 = s1 * cw1 + c1 * sw1;
                c1 = n1;
                re2 += v * c2;
                im2 -= v * s2;
                double n2 = c2 * cw2 - s2 * sw2;
                s2 = s2 * cw2 + c2 * sw2;
                c2 = n2;
                re3 += v * c3;
                im3 -= v * s3;
                double n3 = c3 * cw3 - s3 * sw3;
                s3 = s3 * cw3 + c3 * sw3;
                c3 = n3;
            }
            power[f] = re0 * re0 + im0 * im0;
            power[f + 1] = re1 * re1 + im1 * im1;
            power[f + 2] = re2 * re2 + im2 * im2;
            power[f + 3] = re3 * re3 + im3 * im3;
        }
        double total = 0;
        double band = 0;
        double best = -1;
        double bestHz = Double.NaN;
        for (int f = 0; f < nf; f++) {
            double hz = 0.5 + 0.25 * f;
            double p = power[f];
            total += p;
            if (hz >= BAND_LOW_HZ && hz <= BAND_HIGH_HZ) {
                band += p;
            }
            if (p > best) {
                best = p;
                bestHz = hz;
            }
        }
        return new Result(bestHz, total > 0 ? band / total : 0, std);
    }
}
