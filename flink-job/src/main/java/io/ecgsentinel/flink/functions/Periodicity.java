package io.ecgsentinel.flink.functions;

/**
 * The rhythm's period from the signal itself, independent of beat detection: the normalised
 * autocorrelation of one lead (box-decimated to about 50 Hz, mean removed) over lags of 0.25-1.5 s;
 * the period is the shortest lag whose correlation reaches 85 % of the best one (so a harmonic at
 * twice the period does not win). A fast regular wide-complex rhythm (VT) shows a strong short
 * period even where the QRS detector, tuned to narrow complexes, misses many of its beats.
 */
public final class Periodicity {

    /** @param bpm 60 / period, NaN when unmeasurable; strength the correlation at that lag (-1..1) */
    public record Result(double bpm, double strength) {}

    private Periodicity() {}

    public static Result of(float[] x, int from, int to, double fs) {
        int q = Math.max(1, (int) Math.round(fs / 50.0));
        double dfs = fs / q;
        int m = (to - from) / q;
        double[] y = new double[m];
        double mean = 0;
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int i = from + j * q; i < from + (j + 1) * q; i++) {
                if (Float.isNaN(x[i])) {
                    return new Result(Double.NaN, 0);
                }
                s += x[i];
            }
            y[j] = s / q;
            mean += y[j];
        }
        mean /= Math.max(1, m);
        for (int j = 0; j < m; j++) {
            y[j] -= mean;
        }
        int minLag = (int) Math.round(0.25 * dfs);
        int maxLag = Math.min(m / 2, (int) Math.round(1.5 * dfs));
        if (maxLag <= minLag + 2) {
            return new Result(Double.NaN, 0);
        }
        double[] r = new double[maxLag + 2];
        double best = -2;
        for (int lag = minLag - 1; lag <= maxLag + 1 && lag < m; lag++) {
            double num = 0;
            double e1 = 0;
            double e2 = 0;
            for (int j = 0; j + lag < m; j++) {
                num += y[j] * y[j + lag];
                e1 += y[j] * y[j];
                e2 += y[j + lag] * y[j + lag];
            }
            r[lag] = e1 > 0 && e2 > 0 ? num / Math.sqrt(e1 * e2) : 0;
        }
        for (int lag = minLag; lag <= maxLag; lag++) {
            if (r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
                best = Math.max(best, r[lag]);
            }
        }
        if (best <= 0) {
            return new Result(Double.NaN, Math.max(best, 0));
        }
        for (int lag = minLag; lag <= maxLag; lag++) {
            if (r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] >= 0.85 * best) {
                // parabolic refinement of the peak position
                double a = r[lag - 1];
                double b = r[lag];
                double c = r[lag + 1];
                double den = a - 2 * b + c;
                double shift = den != 0 ? 0.5 * (a - c) / den : 0;
                return new Result(60.0 * dfs / (lag + shift), b);
            }
        }
        return new Result(Double.NaN, 0);
    }
}
