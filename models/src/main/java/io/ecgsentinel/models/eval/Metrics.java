package io.ecgsentinel.models.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Ranking and confusion-matrix metrics (ROC AUC, PR AUC, curves). */
public final class Metrics {

    private Metrics() {}

    /** ROC AUC by the rank statistic (ties count one half); NaN if one class is missing. */
    public static double rocAuc(double[] score, boolean[] positive) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) j++;
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[idx[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Average precision (area under the PR curve, step interpolation). */
    public static double prAuc(double[] score, boolean[] positive) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(score[b], score[a]));
        long totalPos = 0;
        for (boolean p : positive) if (p) totalPos++;
        if (totalPos == 0) return Double.NaN;
        double ap = 0;
        long tp = 0;
        for (int k = 0; k < n; k++) {
            if (positive[idx[k]]) {
                tp++;
                ap += (double) tp / (k + 1);
            }
        }
        return ap / totalPos;
    }

    /** ROC curve points (fpr, tpr) at every distinct threshold. */
    public static List<double[]> rocCurve(double[] score, boolean[] positive) {
        return curve(score, positive, true);
    }

    /** PR curve points (recall, precision). */
    public static List<double[]> prCurve(double[] score, boolean[] positive) {
        return curve(score, positive, false);
    }

    private static List<double[]> curve(double[] score, boolean[] positive, boolean roc) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(score[b], score[a]));
        long p = 0;
        for (boolean b : positive) if (b) p++;
        long ng = n - p;
        List<double[]> pts = new ArrayList<>();
        if (roc) pts.add(new double[] {0, 0});
        long tp = 0, fp = 0;
        for (int k = 0; k < n; k++) {
            if (positive[idx[k]]) tp++; else fp++;
            if (k + 1 < n && score[idx[k + 1]] == score[idx[k]]) continue;
            if (roc) {
                pts.add(new double[] {ng == 0 ? 0 : (double) fp / ng, p == 0 ? 0 : (double) tp / p});
            } else {
                pts.add(new double[] {p == 0 ? 0 : (double) tp / p, (double) tp / (tp + fp)});
            }
        }
        return pts;
    }

    /** Binary metrics at a threshold. */
    public record Binary(long tp, long fp, long tn, long fn) {
        public double accuracy() { return ratio(tp + tn, tp + tn + fp + fn); }
        public double precision() { return ratio(tp, tp + fp); }
        public double recall() { return ratio(tp, tp + fn); }
        public double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        static double ratio(long a, long b) { return b == 0 ? Double.NaN : (double) a / b; }
    }

    public static Binary binary(double[] score, boolean[] positive, double threshold) {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < score.length; i++) {
            boolean pred = score[i] >= threshold;
            if (pred && positive[i]) tp++;
            else if (pred) fp++;
            else if (positive[i]) fn++;
            else tn++;
        }
        return new Binary(tp, fp, tn, fn);
    }

    /** Threshold maximising F1 (used on training-time validation only). */
    public static double bestF1Threshold(double[] score, boolean[] positive) {
        double best = 0.5, bestF = -1;
        for (double t = 0.05; t < 0.96; t += 0.01) {
            double f = binary(score, positive, t).f1();
            if (f > bestF) {
                bestF = f;
                best = t;
            }
        }
        return best;
    }
}
