package io.ecgsentinel.models.input;

import java.util.Arrays;
import java.util.Map;

import static io.ecgsentinel.models.ModelSpec.ECG_CHANNELS;
import static io.ecgsentinel.models.ModelSpec.FS;
import static io.ecgsentinel.models.ModelSpec.TEMPLATE_BEATS;
import static io.ecgsentinel.models.ModelSpec.N_LEADS;
import static io.ecgsentinel.models.ModelSpec.POST;
import static io.ecgsentinel.models.ModelSpec.PRE;
import static io.ecgsentinel.models.ModelSpec.RR_FEATURES;
import static io.ecgsentinel.models.ModelSpec.WINDOW;

import io.ecgsentinel.core.dsp.FloatOrder;
import io.ecgsentinel.core.dsp.Normalizer;
import io.ecgsentinel.models.ModelSpec;

/**
 * Cuts the model input for one beat out of a preprocessed 12-channel buffer: the one piece of
 * feature code that training, evaluation, {@code ecg predict} and the Flink job all call, so the
 * model never sees windows built differently live than in training.
 *
 * <p>Input: {@code channels[c]} is standard lead c (order of {@code ModelSpec.LEADS}; {@code null}
 * when absent) at {@value io.ecgsentinel.models.ModelSpec#FS} Hz, already run through ecg-core's
 * {@code MultiLeadPreprocessor}; {@code channels[c][k]} is stream sample {@code bufferStart + k}.
 * {@code beats} are beat positions in the same stream index (ascending). The window of beat i is
 * samples {@code beats[i] - PRE .. beats[i] + POST - 1}; samples outside the buffer are 0. Each
 * present lead of the window is z-scored with ecg-core's {@link Normalizer} (WINDOW_ZSCORE, the
 * method recorded in the model card); absent leads stay 0 with mask 0. Channels 12-23 hold each
 * lead's window minus the per-sample median of the (normalised) windows of up to {@value
 * io.ecgsentinel.models.ModelSpec#TEMPLATE_BEATS} template beats: the patient's own dominant beat,
 * so that the model judges morphology relative to the patient (zero for the first beat). The
 * template beats ({@link #templateBeats}) are the most recent previous beats within {@value
 * #TEMPLATE_SPAN} samples ({@value #TEMPLATE_SPAN_SECONDS} s) that are not premature, so that in
 * bigeminy or at the start of a ventricular run the template stays the dominant (sinus) beat instead
 * of becoming a mix of the ectopic beats it should show up against; with fewer than {@value
 * #TEMPLATE_MIN} such beats, the most recent previous beats in the span. A live caller must
 * therefore keep the samples from {@code TEMPLATE_SPAN + PRE} before the beat in its buffer.
 *
 * <p>RR features (seconds; ratios to the local average RR, the mean of up to {@value #LOCAL_RR}
 * intervals before the beat's own): pre-RR, post-RR, local average RR, pre/avg, post/avg, RR
 * irregularity (mean absolute successive difference of those intervals / avg). Post-RR needs the
 * next beat: a live caller scores beat i once beat i+1 is detected (one beat of latency) and
 * {@code POST} samples after it are buffered; when there is no next beat yet (end of a record) the
 * local average stands in for it. Missing pre-RR likewise.
 *
 * <p>Stateless and thread-safe (a {@link WindowStatsMemo} passed in belongs to one stream and one thread).
 */
public final class BeatWindowExtractor {

    /** Number of previous RR intervals averaged for the local RR. */
    public static final int LOCAL_RR = 10;
    /**
     * Number of previous RR intervals whose median is the patient's longer-term RR, against which
     * {@link #preLongRatio} measures prematurity (about 1.5-2 minutes of beats at normal rates).
     */
    public static final int LONG_RR = ModelSpec.LONG_RR;
    /** Fallback RR (s) when a record has a single beat. */
    public static final double DEFAULT_RR = 0.8;
    /** RR intervals (s) are capped here in the features: a longer pause is a pause. */
    public static final double MAX_RR_SECONDS = 3.0;
    private static final double MAX_RR = MAX_RR_SECONDS;
    /**
     * Name of the template rule, recorded in the model card ({@code input.template}): a model trained
     * with another rule (models up to version 3 used the median of the previous 8 beats, whatever
     * their timing or distance) must not be served with this one, see {@link #checkCard}.
     */
    public static final String TEMPLATE = "median of up to 8 non-premature beats of the previous 8 s";

    /**
     * Null when a model card's input section ({@code card.input}) was written for this extractor's
     * template rule, else why not.
     */
    public static String checkCard(Object input) {
        Object t = input instanceof Map<?, ?> in ? in.get("template") : null;
        if (TEMPLATE.equals(t)) {
            return null;
        }
        return "the model was trained with " + (t == null ? "the earlier beat template (median of the previous 8 beats)"
                + ", its card has no input.template" : "the beat template '" + t + "'") + ", but this build cuts inputs"
                + " with '" + TEMPLATE + "': serving it would feed it inputs it never saw (retrain it, or use a"
                + " model trained by this build)";
    }

    /** Seconds before a beat in which its template beats are searched. */
    public static final int TEMPLATE_SPAN_SECONDS = 8;
    /** {@link #TEMPLATE_SPAN_SECONDS} in samples at the model rate. */
    public static final int TEMPLATE_SPAN = TEMPLATE_SPAN_SECONDS * FS;
    /** Non-premature beats needed for a dominant-beat template; fewer, and the recent beats serve. */
    public static final int TEMPLATE_MIN = 3;
    /** Previous beats examined for the template (the span bounds them first at normal rates). */
    static final int TEMPLATE_SEARCH = 2 * TEMPLATE_BEATS;
    /**
     * Samples at the model rate a live caller must keep before the beat it scores: the span of the
     * template beats plus the window's part before the beat.
     */
    public static final int LOOKBACK_SAMPLES = TEMPLATE_SPAN + PRE;
    /**
     * Beats before beat i a live caller must still hold: the template search and, for the oldest
     * searched beat's prematurity, its own RR average; and the {@value #LONG_RR} intervals of
     * {@link #preLongRatio} (129 beats, the larger of the two). With fewer, a live beat's rule inputs
     * would differ from the ones evaluation computes over the whole record.
     */
    public static final int HISTORY_BEATS = Math.max(TEMPLATE_SEARCH + LOCAL_RR + 1, LONG_RR + 1);

    private final Normalizer normalizer;

    public BeatWindowExtractor() {
        this(new Normalizer(Normalizer.Method.WINDOW_ZSCORE));
    }

    public BeatWindowExtractor(Normalizer normalizer) {
        this.normalizer = normalizer;
    }

    /**
     * Writes beat {@code i}'s window, lead mask and RR features into row {@code row} of {@code out}.
     *
     * @param channels 12 channels (null = lead absent) at the model rate
     * @param bufferStart stream index of {@code channels[c][0]}
     * @param beats ascending beat positions (stream index at the model rate)
     * @param i the beat to extract
     * @param keep optional per-lead keep flags (lead dropout in training); null keeps every present lead
     */
    public void extract(float[][] channels, long bufferStart, long[] beats, int i, boolean[] keep,
            BeatWindows out, int row) {
        extract(channels, bufferStart, beats, i, keep, out, row, null);
    }

    /**
     * {@link #extract(float[][], long, long[], int, boolean[], BeatWindows, int)} with the windows'
     * normalisation statistics kept in {@code memo} (null: none) between calls for one stream, the
     * same output: a caller cutting beat after beat of one patient (the Flink job, {@code ecg
     * evaluate}) normalises each beat's window about once instead of once per beat it is a template of.
     * Beat positions must be positions on one stream: the memo tells windows apart by position and
     * by the samples themselves.
     */
    public void extract(float[][] channels, long bufferStart, long[] beats, int i, boolean[] keep,
            BeatWindows out, int row, WindowStatsMemo memo) {
        if (channels.length != N_LEADS) {
            throw new IllegalArgumentException("expected " + N_LEADS + " channels, got " + channels.length);
        }
        out.clearRow(row);
        int base = row * WINDOW * ECG_CHANNELS;
        int[] template = new int[TEMPLATE_BEATS];
        int prev = templateBeats(beats, i, template);
        float[] cur = new float[WINDOW];
        float[][] past = new float[prev][WINDOW];
        float[] col = new float[prev];
        double[] z = new double[2];
        if (memo != null && normalizer.method() != Normalizer.Method.WINDOW_ZSCORE) {
            memo = null; // it holds z-score statistics only
        }
        for (int c = 0; c < N_LEADS; c++) {
            float[] ch = channels[c];
            if (ch == null || (keep != null && !keep[c])) {
                continue;
            }
            window(ch, bufferStart, beats[i], cur, memo, c, z);
            for (int j = 0; j < prev; j++) {
                window(ch, bufferStart, beats[template[j]], past[j], memo, c, z);
            }
            float[] ecg = out.ecg;
            if (prev == 8) {
                // the usual case: the median of eight sample by sample, straight from the windows
                float[] p0 = past[0], p1 = past[1], p2 = past[2], p3 = past[3];
                float[] p4 = past[4], p5 = past[5], p6 = past[6], p7 = past[7];
                for (int k = 0; k < WINDOW; k++) {
                    int at = base + k * ECG_CHANNELS + c;
                    ecg[at] = cur[k];
                    ecg[at + N_LEADS] = cur[k] - median8Keys(p0[k], p1[k], p2[k], p3[k], p4[k], p5[k], p6[k], p7[k]);
                }
            } else {
                for (int k = 0; k < WINDOW; k++) {
                    ecg[base + k * ECG_CHANNELS + c] = cur[k];
                    if (prev > 0) {
                        for (int j = 0; j < prev; j++) col[j] = past[j][k];
                        ecg[base + k * ECG_CHANNELS + N_LEADS + c] = cur[k] - median(col, prev);
                    }
                }
            }
            out.mask[row * N_LEADS + c] = 1f;
        }
        rrFeatures(beats, i, out.rr, row * RR_FEATURES);
        out.rrIrregularity[row] = rrIrregularity(beats, i);
        out.preLongRatio[row] = preLongRatio(beats, i);
    }

    /**
     * Writes the indexes of beat i's template beats (most recent first) into {@code dst} (length
     * {@value io.ecgsentinel.models.ModelSpec#TEMPLATE_BEATS}) and returns how many there are: the
     * most recent previous beats (at most {@value #TEMPLATE_SEARCH} back, within {@value
     * #TEMPLATE_SPAN} samples of beat i) whose pre-RR / local average RR (RR feature 3) is at least
     * {@code ModelSpec.PREMATURE_RATIO}; if fewer than {@value #TEMPLATE_MIN} qualify, the most
     * recent previous beats in the span regardless of timing.
     */
    public static int templateBeats(long[] beats, int i, int[] dst) {
        int n = 0;
        int inSpan = 0;
        for (int j = i - 1; j >= 0 && i - j <= TEMPLATE_SEARCH && beats[i] - beats[j] <= TEMPLATE_SPAN; j--) {
            inSpan++;
            if (n < TEMPLATE_BEATS && preRatio(beats, j) >= ModelSpec.PREMATURE_RATIO) {
                dst[n++] = j;
            }
        }
        if (n >= TEMPLATE_MIN) {
            return n;
        }
        n = Math.min(TEMPLATE_BEATS, inSpan);
        for (int k = 0; k < n; k++) {
            dst[k] = i - 1 - k;
        }
        return n;
    }

    /** RR feature 3 of beat j (pre-RR / local average RR) without the other features. */
    static float preRatio(long[] beats, int j) {
        float[] f = new float[RR_FEATURES];
        rrFeatures(beats, j, f, 0);
        return f[3];
    }

    /**
     * The normalised window of the beat at stream index {@code beat} (zero outside the buffer) of
     * lead {@code lead}; its statistics from {@code memo} when it has them for these samples.
     */
    private void window(float[] ch, long bufferStart, long beat, float[] dst, WindowStatsMemo memo, int lead,
            double[] z) {
        long start = beat - PRE;
        long from = start - bufferStart;
        if (from >= 0 && from + WINDOW <= ch.length) {
            System.arraycopy(ch, (int) from, dst, 0, WINDOW);
        } else {
            for (int k = 0; k < WINDOW; k++) {
                long idx = from + k;
                dst[k] = idx >= 0 && idx < ch.length ? ch[(int) idx] : 0f;
            }
        }
        if (memo == null) {
            normalizer.normalizeInPlace(dst, 0, WINDOW);
            return;
        }
        long fp = WindowStatsMemo.fingerprint(dst, 0, WINDOW);
        if (!memo.get(lead, beat, fp, z)) {
            Normalizer.zscore(dst, 0, WINDOW, z);
            memo.put(lead, beat, fp, z[0], z[1]);
        }
        Normalizer.apply(dst, 0, WINDOW, z[0], z[1]);
    }

    /** Median of a[0..n-1] (mean of the middle two for even n); reorders a unless n is 8. */
    static float median(float[] a, int n) {
        if (n == 8) {
            return median8(a);
        }
        // insertion sort: n <= TEMPLATE_BEATS
        for (int x = 1; x < n; x++) {
            float v = a[x];
            int y = x - 1;
            while (y >= 0 && a[y] > v) {
                a[y + 1] = a[y];
                y--;
            }
            a[y + 1] = v;
        }
        return (n & 1) == 1 ? a[n / 2] : 0.5f * (a[n / 2 - 1] + a[n / 2]);
    }

    /**
     * Median of a[0..7], the template's usual case (3,000 per beat): the middle two of Batcher's
     * odd-even merge sorting network (19 compare-exchanges, no branches on the data), the same values
     * as sorting (ties of -0.0 and 0.0 aside, which compare equal).
     */
    static float median8(float[] a) {
        return median8(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }

    /**
     * {@link #median8(float[])} of eight values, the same float, by the same network on their order
     * keys ({@link FloatOrder}: integer min/max, which orders -0.0 below 0.0 as Math.min does).
     * With a NaN among the values it is {@link
     * #median8(float, float, float, float, float, float, float, float)}.
     */
    static float median8Keys(float f0, float f1, float f2, float f3, float f4, float f5, float f6, float f7) {
        int x0 = FloatOrder.key(f0);
        int x1 = FloatOrder.key(f1);
        int x2 = FloatOrder.key(f2);
        int x3 = FloatOrder.key(f3);
        int x4 = FloatOrder.key(f4);
        int x5 = FloatOrder.key(f5);
        int x6 = FloatOrder.key(f6);
        int x7 = FloatOrder.key(f7);
        int t;
        t = Math.min(x0, x1); x1 = Math.max(x0, x1); x0 = t;
        t = Math.min(x2, x3); x3 = Math.max(x2, x3); x2 = t;
        t = Math.min(x4, x5); x5 = Math.max(x4, x5); x4 = t;
        t = Math.min(x6, x7); x7 = Math.max(x6, x7); x6 = t;
        t = Math.min(x0, x2); x2 = Math.max(x0, x2); x0 = t;
        t = Math.min(x1, x3); x3 = Math.max(x1, x3); x1 = t;
        t = Math.min(x4, x6); x6 = Math.max(x4, x6); x4 = t;
        t = Math.min(x5, x7); x7 = Math.max(x5, x7); x5 = t;
        t = Math.min(x1, x2); x2 = Math.max(x1, x2); x1 = t;
        t = Math.min(x5, x6); x6 = Math.max(x5, x6); x5 = t;
        t = Math.min(x0, x4); x4 = Math.max(x0, x4); x0 = t;
        t = Math.min(x1, x5); x5 = Math.max(x1, x5); x1 = t;
        t = Math.min(x2, x6); x6 = Math.max(x2, x6); x2 = t;
        t = Math.min(x3, x7); x7 = Math.max(x3, x7); x3 = t;
        t = Math.min(x2, x4); x4 = Math.max(x2, x4); x2 = t;
        t = Math.min(x3, x5); x5 = Math.max(x3, x5); x3 = t;
        if (x7 > FloatOrder.POSITIVE_INFINITY || x0 < FloatOrder.NEGATIVE_INFINITY) {
            return median8(f0, f1, f2, f3, f4, f5, f6, f7);
        }
        return 0.5f * (FloatOrder.value(x3) + FloatOrder.value(x4));
    }

    /** {@link #median8(float[])} of eight values. */
    static float median8(float x0, float x1, float x2, float x3, float x4, float x5, float x6, float x7) {
        float t;
        // sort pairs, then merge into sorted fours
        t = Math.min(x0, x1); x1 = Math.max(x0, x1); x0 = t;
        t = Math.min(x2, x3); x3 = Math.max(x2, x3); x2 = t;
        t = Math.min(x4, x5); x5 = Math.max(x4, x5); x4 = t;
        t = Math.min(x6, x7); x7 = Math.max(x6, x7); x6 = t;
        t = Math.min(x0, x2); x2 = Math.max(x0, x2); x0 = t;
        t = Math.min(x1, x3); x3 = Math.max(x1, x3); x1 = t;
        t = Math.min(x4, x6); x6 = Math.max(x4, x6); x4 = t;
        t = Math.min(x5, x7); x7 = Math.max(x5, x7); x5 = t;
        t = Math.min(x1, x2); x2 = Math.max(x1, x2); x1 = t;
        t = Math.min(x5, x6); x6 = Math.max(x5, x6); x5 = t;
        // merge the two sorted fours
        t = Math.min(x0, x4); x4 = Math.max(x0, x4); x0 = t;
        t = Math.min(x1, x5); x5 = Math.max(x1, x5); x1 = t;
        t = Math.min(x2, x6); x6 = Math.max(x2, x6); x2 = t;
        t = Math.min(x3, x7); x7 = Math.max(x3, x7); x3 = t;
        t = Math.min(x2, x4); x4 = Math.max(x2, x4); x2 = t;
        t = Math.min(x3, x5); x5 = Math.max(x3, x5); x3 = t;
        // the network's last stage, (1,2), (3,4) and (5,6), only orders 3 and 4 among themselves, and
        // their sum does not depend on that order
        return 0.5f * (x3 + x4);
    }

    /** Appends beat i as the next row of {@code out}; returns the row used. */
    public int append(float[][] channels, long bufferStart, long[] beats, int i, BeatWindows out) {
        return append(channels, bufferStart, beats, i, out, null);
    }

    /** Appends beat i as the next row of {@code out}, with a memo (see {@link #extract}); returns the row used. */
    public int append(float[][] channels, long bufferStart, long[] beats, int i, BeatWindows out,
            WindowStatsMemo memo) {
        if (out.isFull()) {
            throw new IllegalStateException("batch is full (" + out.capacity + ")");
        }
        int row = out.size++;
        extract(channels, bufferStart, beats, i, null, out, row, memo);
        return row;
    }

    /**
     * The rhythm irregularity the beat decision rule gates S on (not a model input): the median
     * absolute difference of successive intervals among the same up to {@value #LOCAL_RR} RR
     * intervals before beat i's own that the RR features average, divided by their median (each
     * interval capped at 3 s). Robust where RR feature 5 (the mean difference) is not: a few pauses
     * or ectopic pairs in a regular rhythm leave it near 0, while AF, irregular at almost every beat,
     * keeps it high. 0 with fewer than 2 intervals.
     */
    public static float rrIrregularity(long[] beats, int i) {
        int from = Math.max(1, i - LOCAL_RR);
        int n = i - from;
        if (n < 2) return 0f;
        double[] rr = new double[n];
        double[] diff = new double[n - 1];
        for (int j = from; j <= i - 1; j++) {
            rr[j - from] = Math.min(MAX_RR, (beats[j] - beats[j - 1]) / (double) FS);
            if (j > from) diff[j - from - 1] = Math.abs(rr[j - from] - rr[j - from - 1]);
        }
        double medRr = Math.max(0.2, median(rr));
        return (float) Math.min(2.0, median(diff) / medRr);
    }

    /** First window sample of the QRS span {@link #templateResidual} compares: 80 ms before the beat. */
    static final int QRS_FROM = PRE - 8;
    /** End (exclusive) of that span: 120 ms after the beat. */
    static final int QRS_TO = PRE + 12;

    /**
     * How unlike the patient's dominant beat the QRS of model input row {@code row} is, for the beat
     * decision rule (computed from the model input itself, so every caller that scores a row, the
     * Flink job included, gets the same value without carrying it): the RMS of the template channels
     * (the beat minus its dominant-beat template) over the RMS of the beat's own channels, over the
     * present leads (mask 1) and the QRS span {@link #QRS_FROM}..{@link #QRS_TO}. Both are z-scored
     * windows, so it needs no scale: about 0.1-0.3 for a beat shaped like the dominant beat (a
     * supraventricular beat conducted normally), 0.6 and more for most ventricular ones. NaN when
     * the row has no template (its template channels are exactly zero: {@link #extract} writes them
     * only when the beat has template beats) or no lead.
     *
     * @param ecg the {@code ecg} input [rows, WINDOW, ECG_CHANNELS]
     * @param mask the {@code lead_mask} input [rows, N_LEADS]
     */
    public static float templateResidual(float[] ecg, float[] mask, int row) {
        int base = row * WINDOW * ECG_CHANNELS;
        double diff = 0;
        double own = 0;
        for (int c = 0; c < N_LEADS; c++) {
            if (mask[row * N_LEADS + c] == 0f) {
                continue;
            }
            for (int k = QRS_FROM; k < QRS_TO; k++) {
                float x = ecg[base + k * ECG_CHANNELS + c];
                float d = ecg[base + k * ECG_CHANNELS + N_LEADS + c];
                own += (double) x * x;
                diff += (double) d * d;
            }
        }
        return own > 0 && diff > 0 ? (float) Math.sqrt(diff / own) : Float.NaN;
    }

    /**
     * Pre-RR over the patient's longer-term RR, for the beat decision rule (not a model input): beat
     * i's pre-RR (as RR feature 0) divided by the median of up to {@value #LONG_RR} RR intervals
     * before it (the same intervals, each capped at {@value #MAX_RR_SECONDS} s, that the local
     * average takes its last {@value #LOCAL_RR} from), capped at 3. The local average follows a run
     * of supraventricular tachycardia within a few beats, so from then on the run's beats look on
     * time against it (pre-RR / local average near 1); against the longer-term median they stay
     * premature. With no earlier interval, the local average (RR feature 2) stands in for the median,
     * as it does for a missing pre-RR.
     */
    public static float preLongRatio(long[] beats, int i) {
        int from = Math.max(1, i - LONG_RR);
        int n = i - from;
        float[] f = new float[RR_FEATURES];
        rrFeatures(beats, i, f, 0);
        if (n < 1) {
            return (float) Math.min(3.0, f[0] / f[2]);
        }
        double[] rr = new double[n];
        for (int j = from; j <= i - 1; j++) {
            rr[j - from] = Math.min(MAX_RR, (beats[j] - beats[j - 1]) / (double) FS);
        }
        double med = Math.max(0.2, median(rr));
        return (float) Math.min(3.0, f[0] / med);
    }

    /** Median of v (sorted in place; mean of the middle two for even lengths). */
    private static double median(double[] v) {
        Arrays.sort(v);
        int m = v.length;
        return m % 2 == 1 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
    }

    /** The {@value io.ecgsentinel.models.ModelSpec#RR_FEATURES} RR features of beat i into dst[off..]. */
    public static void rrFeatures(long[] beats, int i, float[] dst, int off) {
        double pre = i > 0 ? (beats[i] - beats[i - 1]) / (double) FS : Double.NaN;
        double post = i + 1 < beats.length ? (beats[i + 1] - beats[i]) / (double) FS : Double.NaN;
        double sum = 0;
        double diff = 0;
        int n = 0;
        double prev = Double.NaN;
        for (int j = Math.max(1, i - LOCAL_RR); j <= i - 1; j++) {
            double rr = Math.min(MAX_RR, (beats[j] - beats[j - 1]) / (double) FS);
            sum += rr;
            if (!Double.isNaN(prev)) {
                diff += Math.abs(rr - prev);
            }
            prev = rr;
            n++;
        }
        double avg;
        if (n > 0) {
            avg = sum / n;
        } else if (!Double.isNaN(pre)) {
            avg = pre;
        } else if (!Double.isNaN(post)) {
            avg = post;
        } else {
            avg = DEFAULT_RR;
        }
        avg = Math.max(0.2, Math.min(MAX_RR, avg));
        if (Double.isNaN(pre)) pre = avg;
        if (Double.isNaN(post)) post = avg;
        pre = Math.min(MAX_RR, pre);
        post = Math.min(MAX_RR, post);
        dst[off] = (float) pre;
        dst[off + 1] = (float) post;
        dst[off + 2] = (float) avg;
        dst[off + 3] = (float) Math.min(3.0, pre / avg);
        dst[off + 4] = (float) Math.min(3.0, post / avg);
        dst[off + 5] = (float) (n > 1 ? Math.min(2.0, diff / (n - 1) / avg) : 0.0);
    }
}
