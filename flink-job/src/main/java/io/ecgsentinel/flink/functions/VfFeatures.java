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
        double total = 0;
        double band = 0;
        double best = -1;
        double bestHz = Double.NaN;
        for (double hz = 0.5; hz <= 20.0 && hz < dfs / 2; hz += 0.25) {
            double w = 2 * Math.PI * hz / dfs;
            double cw = Math.cos(w);
            double sw = Math.sin(w);
            double c = 1;
            double s = 0;
            double re = 0;
            double im = 0;
            for (int j = 0; j < m; j++) {
                re += y[j] * c;
                im -= y[j] * s;
                double nc = c * cw - s * sw;
                s = s * cw + c * sw;
                c = nc;
            }
            double p = re * re + im * im;
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
