package io.ecgsentinel.core.qrs;

import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beat-by-beat comparison of detected beats against reference annotations, following the QRS
 * detection rules of ANSI/AAMI EC57 as implemented by WFDB's {@code bxb}.
 *
 * <ul>
 *   <li>Reference beats are the annotations whose code is a QRS code (WFDB {@code isqrs}, {@link
 *       Annotation#isBeat()}); every other annotation is ignored except the markers below.
 *   <li>Match window: 150 ms ({@code round(0.15 * fs)} samples); a pair whose distance is exactly
 *       the window still matches. Pairing is greedy in time order and a detection pairs with a
 *       reference beat only if it is closer to it than the next detection is (and vice versa), as
 *       in bxb.
 *   <li>Ventricular flutter/fibrillation: the reference episode from a {@code [} annotation to the
 *       next {@code ]} (inclusive; to the end of the record if unterminated) is excluded. Reference
 *       annotations inside it are skipped and unmatched detections inside it are not counted as
 *       false positives, because during VF there are no countable QRS complexes.
 *   <li>Unreadable signal ("shutdown", a {@code ~} annotation with both unreadable bits 4 and 5 of
 *       {@code subtyp} set, up to the next {@code ~}): bxb still counts missed reference beats and
 *       extra detections there in Se and +P (its X column), and so does this class.
 *   <li>Whole record: there is no learning period; scoring starts at sample 0 (bxb's default of 5
 *       minutes is an option of that tool, not used here). Detections at or after {@code
 *       recordLength} are ignored.
 * </ul>
 */
public final class BeatMatcher {

    /** Match window of EC57, in seconds. */
    public static final double MATCH_WINDOW_SECONDS = 0.15;

    private static final int VFON = 32;
    private static final int VFOFF = 33;
    private static final long FAR = Long.MAX_VALUE / 4;

    private BeatMatcher() {}

    /** Match window in samples at {@code fs}: 150 ms rounded to the nearest sample. */
    public static int matchWindowSamples(double fs) {
        return (int) Math.round(MATCH_WINDOW_SECONDS * fs);
    }

    /**
     * Compares detections with the reference annotations of one record.
     *
     * @param reference all annotations of the reference file (beats, rhythm, noise, VF markers)
     * @param detections detected beat positions (sample indexes), in any order
     * @param fs sampling frequency in Hz
     * @param recordLength number of samples in the record; detections beyond it are ignored, use
     *     {@link Long#MAX_VALUE} when unknown
     */
    public static BeatMatch match(
            List<Annotation> reference, long[] detections, double fs, long recordLength) {
        List<Long> refBeats = new ArrayList<>();
        List<long[]> vf = new ArrayList<>();
        long vfStart = -1;
        for (Annotation a : reference) {
            if (vfStart >= 0) {
                if (a.code() == VFOFF) {
                    vf.add(new long[] {vfStart, a.sample()});
                    vfStart = -1;
                }
                continue; // everything inside a reference VF episode is skipped
            }
            if (a.code() == VFON) {
                vfStart = a.sample();
            } else if (AnnotationCodes.isBeat(a.code()) && a.sample() < recordLength) {
                refBeats.add(a.sample());
            }
        }
        if (vfStart >= 0) {
            vf.add(new long[] {vfStart, FAR});
        }
        long[] ref = refBeats.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] test = Arrays.stream(detections).filter(t -> t >= 0 && t < recordLength).sorted().toArray();
        return pair(ref, test, vf, matchWindowSamples(fs));
    }

    private static BeatMatch pair(long[] ref, long[] test, List<long[]> vf, int window) {
        int i = 0;
        int j = 0;
        int tp = 0;
        List<Long> fn = new ArrayList<>();
        List<Long> fp = new ArrayList<>();
        List<Long> ignored = new ArrayList<>();
        while (i < ref.length || j < test.length) {
            long bigT = i < ref.length ? ref[i] : FAR;
            long nextT = i + 1 < ref.length ? ref[i + 1] : FAR;
            long t = j < test.length ? test[j] : FAR;
            long nextt = j + 1 < test.length ? test[j + 1] : FAR;
            if (t < bigT) {
                // the detection comes first: pair it if within the window and closer than the next one
                if (bigT - t <= window && bigT - t < Math.abs(nextt - bigT)) {
                    tp++;
                    i++;
                } else if (inside(vf, t)) {
                    ignored.add(t);
                } else {
                    fp.add(t);
                }
                j++;
            } else {
                if (t - bigT <= window && t - bigT < Math.abs(nextT - t)) {
                    tp++;
                    j++;
                } else {
                    fn.add(bigT);
                }
                i++;
            }
        }
        return new BeatMatch(ref.length, tp, toArray(fn), toArray(fp), ignored.size());
    }

    private static boolean inside(List<long[]> intervals, long t) {
        for (long[] iv : intervals) {
            if (t >= iv[0] && t <= iv[1]) {
                return true;
            }
        }
        return false;
    }

    private static long[] toArray(List<Long> list) {
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Result of a beat-by-beat comparison.
     *
     * @param referenceBeats countable reference beats (outside VF episodes)
     * @param truePositives matched pairs
     * @param falseNegatives sample positions of unmatched reference beats
     * @param falsePositives sample positions of unmatched detections (outside VF episodes)
     * @param ignoredInVf unmatched detections inside reference VF episodes (not counted)
     */
    public record BeatMatch(
            int referenceBeats, int truePositives, long[] falseNegatives, long[] falsePositives,
            int ignoredInVf) {

        public int fn() {
            return falseNegatives.length;
        }

        public int fp() {
            return falsePositives.length;
        }

        /** Sensitivity TP / (TP + FN) in percent (100 when there is no reference beat). */
        public double sensitivity() {
            return percent(truePositives, truePositives + fn());
        }

        /** Positive predictivity TP / (TP + FP) in percent (100 when nothing was detected). */
        public double positivePredictivity() {
            return percent(truePositives, truePositives + fp());
        }

        static double percent(long a, long b) {
            return b == 0 ? 100.0 : 100.0 * a / b;
        }
    }
}
