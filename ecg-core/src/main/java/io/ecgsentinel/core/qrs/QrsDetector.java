package io.ecgsentinel.core.qrs;

import io.ecgsentinel.core.io.StateIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Real-time multi-lead QRS detector of the Pan-Tompkins family, fed chunk by chunk.
 *
 * <p><b>Per lead</b> (all filters designed in Hz and seconds, so any rate from 50 Hz up works): a
 * 5-15 Hz Butterworth band-pass, the derivative, squaring and a 150 ms moving-window integration
 * give the QRS energy {@code e}; its square root relative to the lead's running QRS level {@code L}
 * is the lead's amplitude-like evidence {@code a = sqrt(e / L)}: about 1 for a typical beat of that
 * lead, whatever its millivolts, so leads of any gain can be combined.
 *
 * <p><b>Fusion</b> ("sum of normalised energy", weighted): the fused evidence is the weighted mean
 * of the leads' {@code a}, with weight {@code act^2 / noise^2}. {@code noise} is the lead's running
 * level of {@code a} at rejected candidates (inverse noise variance: a lead with noise bursts, big T
 * waves or EMG loses weight; a lead far above its usual size at a beat raises it at once, which
 * catches the onset of a noise burst); {@code act} is the largest {@code a} the lead showed in the
 * last 1.5 RR intervals, so a flat or detached lead that stops showing beats drops out within about
 * a beat. A NaN sample means "lead off": the lead is left out until it returns, and the step on its
 * return is removed. Any subset of leads works, from one (wearable) to twelve.
 *
 * <p><b>Decision</b>: candidates are local maxima of the fused evidence with nothing larger within
 * 150 ms on either side. A candidate is a beat when it is at least 200 ms (refractory period) after
 * the previous beat and exceeds {@code thr = NPK * (SPK / NPK)^k}, the point a fraction {@code k}
 * of the way from the running noise-peak level NPK to the signal-peak level SPK on a logarithmic
 * (decibel) scale: the threshold rises with the noise instead of sitting at a fixed fraction of the
 * beat size. Within 360 ms of the previous beat, a candidate whose steepest slope is under half of
 * that beat's is a T wave. After 1.66 mean RR intervals without a beat, search-back accepts the
 * largest candidate since the last beat that exceeds half the threshold. The first 2 s learn the
 * levels; their beats are then decided and emitted. After 5 s without any beat the signal level is
 * relaxed, so a lasting amplitude drop is re-learned.
 *
 * <p><b>Fiducial</b>: the energy centroid of the complex (all leads, weighted), moved to the largest
 * deflection of the best lead's 1-30 Hz signal within 30 ms and corrected for the filter delays,
 * so it sits on the R peak (or the dominant deflection of a QS or wide complex).
 *
 * <p><b>Delay</b>: a regular beat is emitted 150 ms after the energy peak that trails its R peak:
 * on MIT-BIH 0.27 s after the R peak in the median, 0.30 s for 99 % of beats, and never more than
 * {@link #maxRegularDelaySeconds()} (0.68 s at 360 Hz; it can exceed 0.30 s only while a rising
 * train of noise peaks postpones the peak decision). Search-back beats come at most 1.66 x 1.8 s +
 * 0.15 s after the previous beat (3.2 s); beats of the first 2 s come at the end of learning.
 *
 * <p><b>Structure</b>: the input is taken in blocks of up to {@value #BLOCK} samples. A filter
 * stage runs each lead through the whole block on its own (lead-off handling, the filters, the
 * derivative, squaring and integration), with the filter state in local variables and the leads'
 * recursions independent of each other, and leaves the band-passed, 1-30 Hz and energy values of
 * the block in scratch arrays; then the decision stage goes through the block sample by sample,
 * as the fusion and the decisions need all leads at each sample. The filters depend on nothing the
 * decisions change, so this gives exactly the results of doing both per sample.
 *
 * <p><b>State</b> is plain data (primitives and primitive arrays, {@link Serializable}), sized at
 * construction; {@code process} allocates nothing per sample, so one detector per patient can live
 * in Flink keyed state ({@link #toBytes()} / {@link #fromBytes(byte[])} give a {@code byte[]} form).
 * Detection does not depend on how the input is chunked. Not thread-safe.
 */
public final class QrsDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Settings of the detector, in physical units. {@link #defaults()} is what the evaluation
     * reports; the fields exist for experiments and other lead sets, not for per-patient tuning.
     *
     * @param lowHz band-pass low edge (Hz)
     * @param highHz band-pass high edge (Hz); capped at 0.45 x the sampling rate
     * @param integrationSeconds moving-window integration length (about the widest QRS)
     * @param refractorySeconds no two beats closer than this
     * @param tWaveSeconds candidates closer than this to the previous beat get the T-wave test
     * @param tWaveSlopeRatio ... and are T waves when their steepest slope is below this fraction of
     *     the previous beat's
     * @param thresholdPosition where the detection threshold lies between the noise-peak level (0)
     *     and the signal-peak level (1) on a logarithmic scale
     * @param searchBackFactor search back after this many mean RR intervals without a beat
     * @param searchBackRatio search-back accepts candidates above this fraction of the threshold
     * @param learnSeconds initial learning period
     */
    public record Settings(
            double lowHz,
            double highHz,
            double integrationSeconds,
            double refractorySeconds,
            double tWaveSeconds,
            double tWaveSlopeRatio,
            double thresholdPosition,
            double searchBackFactor,
            double searchBackRatio,
            double learnSeconds)
            implements Serializable {

        public Settings {
            if (!(lowHz > 0 && highHz > lowHz)) {
                throw new IllegalArgumentException("band-pass needs 0 < lowHz < highHz: " + lowHz + ", " + highHz);
            }
            if (!(integrationSeconds > 0 && refractorySeconds > 0 && tWaveSeconds >= 0 && learnSeconds >= 0.5)) {
                throw new IllegalArgumentException("durations must be positive (learning at least 0.5 s)");
            }
            if (!(thresholdPosition > 0 && thresholdPosition < 1 && searchBackRatio > 0 && searchBackRatio <= 1)) {
                throw new IllegalArgumentException("thresholdPosition must be in (0, 1), searchBackRatio in (0, 1]");
            }
            if (!(searchBackFactor > 1)) {
                throw new IllegalArgumentException("searchBackFactor must exceed 1: " + searchBackFactor);
            }
        }

        /** The evaluated defaults (Pan-Tompkins values where the method has one). */
        public static Settings defaults() {
            return new Settings(5.0, 15.0, 0.150, 0.200, 0.360, 0.5, 0.65, 1.66, 0.5, 2.0);
        }
    }

    /** Candidates remembered for search-back: covers the longest search-back span (3.2 s) at one per 0.15 s. */
    private static final int CAP = 32;
    private static final int RR_HISTORY = 8;
    /** Weight of a new value in the running signal/noise levels (Pan-Tompkins' 1/8). */
    private static final double LEVEL_RATE = 0.125;
    /** A level moves at most by this factor per beat, so one artifact or huge PVC cannot blind the detector. */
    private static final double LEVEL_CLIP = 3.0;
    /** Lead noise below this (relative to its beats) counts as this: no lead gets unbounded weight. */
    private static final double NOISE_FLOOR = 0.03;
    /** A lead whose largest evidence over the last 1.5 RR is below this loses weight quadratically. */
    private static final double ACTIVE_LEVEL = 0.5;
    private static final double ACTIVITY_RR = 1.5;
    /** At an accepted beat, a lead's evidence beyond this many times its usual beat counts as its noise. */
    private static final double BEAT_EXCESS = 1.5;
    private static final double MIN_RR_SECONDS = 0.3;
    private static final double MAX_RR_SECONDS = 1.8;
    /** Without any beat for this long, the signal level is relaxed so a lasting amplitude drop is re-learned. */
    private static final double RELEARN_SECONDS = 5.0;
    private static final double FLUSH = 1e-30;
    /**
     * A local maximum of the fused evidence becomes a candidate when nothing larger follows within
     * this time: the look-ahead that sets the decision delay. Shorter than the refractory period,
     * which is enforced on the decisions instead.
     */
    private static final double PEAK_RADIUS_SECONDS = 0.15;
    /**
     * Samples per block of the filter stage: long enough that loading and storing each lead's
     * filter state once per block costs little, short enough that the block's scratch values of
     * 12 leads stay in the L1 cache.
     */
    private static final int BLOCK = 64;

    private final double fs;
    private final int leads;
    private final Settings cfg;

    // durations in samples
    private final int win;
    private final int refr;
    private final int look;
    private final int twave;
    private final int learn;
    private final int hist;
    private final int margin;
    private final int refine;
    private final int groupDelay;
    private final int groupDelayM;
    private final int relearn;

    // filter coefficients (b0 b1 b2 a1 a2): detection band-pass and the 1-30 Hz fiducial filter
    private final double[] hp;
    private final double[] lp;
    private final double[] mhp;
    private final double[] mlp;

    // per-lead signal state
    private final double[] z; // leads x 16: detection hp, lp, fiducial hp, lp (x1 x2 y1 y2 each)
    private final double[] offset;
    private final double[] lastInput;
    private final boolean[] started;
    private final boolean[] valid;
    private final double[] prevBp;
    private final float[] mwi; // leads x win
    private final double[] mwiSum;
    private final float[] bpHist; // leads x hist: band-passed signal
    private final float[] mHist; // leads x hist: 1-30 Hz signal
    private final float[] eHist; // leads x hist: integrated energy
    private final float[] x; // the last frame fed; processFrame, skip and flush feed the frame in it

    // the filter stage's output for the current block (leads x BLOCK): scratch, not state
    private transient boolean[] okBlock; // the sample is finite: the lead is on
    private transient float[] bpBlock; // band-passed signal
    private transient float[] mBlock; // 1-30 Hz signal
    private transient double[] eBlock; // integrated energy

    // per-lead levels and weights
    private final double[] level;
    private final double[] slopeLevel;
    private final double[] leadNoise;
    private final double[] activity;
    private final double[] weight;
    private final double[] learnSumE;
    private final int[] learnCount; // valid samples of the lead while it learns its level
    private final boolean[] known; // the lead's level is learned: it takes part in the fusion
    private long learnedFrames;

    // peak picking on the fused evidence
    private double f1;
    private double f2;
    private long pendT = -1;
    private double pendF;
    private long chainStart = -1;
    private long lastCandT = -1;
    private double lastCandF;

    // decided candidates (ring buffer, newest at head - 1)
    private final long[] cT = new long[CAP];
    private final long[] cFid = new long[CAP];
    private final float[] cE; // CAP x leads
    private final float[] cS; // CAP x leads
    private final byte[] cState = new byte[CAP];
    private int head;
    private int size;

    // decision state
    private double spk;
    private double npk;
    private long lastBeatT = -1;
    private double lastBeatS;
    private final long[] rrHist = new long[RR_HISTORY];
    private int rrCount;
    private int rrNext;
    /**
     * {@link #rrAverage()} of the current {@code rrHist}, 0 when not yet computed (the average is
     * at least {@code MIN_RR_SECONDS * fs}): the search-back asks for it at every sample, the
     * history changes once per beat. Derived, so in no snapshot: a restored or deserialized detector
     * starts at 0 and computes it again.
     */
    private transient double rrAverageMemo;
    private long searchedUpTo = -1;
    private boolean learning = true;
    private boolean gap;
    private long relaxedAt;

    private long n;
    private final RrTracker rr;

    /** A detector with the default settings. */
    public QrsDetector(double fs, int leads) {
        this(fs, leads, Settings.defaults());
    }

    /**
     * @param fs sampling frequency in Hz (at least 50)
     * @param leads number of leads fed in every call (at least 1)
     */
    public QrsDetector(double fs, int leads, Settings settings) {
        if (!(fs >= 50 && fs <= 100_000)) {
            throw new IllegalArgumentException("sampling frequency must be 50-100000 Hz: " + fs);
        }
        if (leads < 1) {
            throw new IllegalArgumentException("at least one lead is needed: " + leads);
        }
        this.fs = fs;
        this.leads = leads;
        this.cfg = settings;
        double high = Math.min(settings.highHz(), 0.45 * fs);
        double low = Math.min(settings.lowHz(), 0.5 * high);
        hp = butterworth2(low, fs, true);
        lp = butterworth2(high, fs, false);
        mhp = butterworth2(1.0, fs, true);
        mlp = butterworth2(Math.min(30.0, 0.45 * fs), fs, false);
        win = Math.max(1, samples(settings.integrationSeconds()));
        refr = Math.max(1, samples(settings.refractorySeconds()));
        look = Math.max(1, Math.min(refr, samples(PEAK_RADIUS_SECONDS)));
        twave = samples(settings.tWaveSeconds());
        learn = samples(settings.learnSeconds());
        margin = samples(0.025);
        refine = samples(0.030);
        relearn = samples(RELEARN_SECONDS);
        groupDelay = (int) Math.round(groupDelaySeconds(hp, lp, Math.sqrt(low * high)) * fs);
        groupDelayM = (int) Math.round(groupDelaySeconds(mhp, mlp, 10.0) * fs);
        hist = 3 * refr + win + 2 * margin + groupDelay + refine + groupDelayM + 8;
        z = new double[leads * 16];
        offset = new double[leads];
        lastInput = new double[leads];
        started = new boolean[leads];
        valid = new boolean[leads];
        prevBp = new double[leads];
        mwi = new float[leads * win];
        mwiSum = new double[leads];
        bpHist = new float[leads * hist];
        mHist = new float[leads * hist];
        eHist = new float[leads * hist];
        x = new float[leads];
        allocateBlock();
        level = new double[leads];
        slopeLevel = new double[leads];
        leadNoise = new double[leads];
        Arrays.fill(leadNoise, 0.1);
        activity = new double[leads];
        Arrays.fill(activity, 1.0);
        weight = new double[leads];
        learnSumE = new double[leads];
        learnCount = new int[leads];
        known = new boolean[leads];
        cE = new float[CAP * leads];
        cS = new float[CAP * leads];
        rr = new RrTracker(fs);
    }

    private void allocateBlock() {
        okBlock = new boolean[BLOCK * leads];
        bpBlock = new float[BLOCK * leads];
        mBlock = new float[BLOCK * leads];
        eBlock = new double[BLOCK * leads];
    }

    /** Java serialization leaves out the block scratch arrays: a restored detector needs new ones. */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        allocateBlock();
    }

    private int samples(double seconds) {
        return (int) Math.round(seconds * fs);
    }

    public double samplingFrequency() {
        return fs;
    }

    public int leadCount() {
        return leads;
    }

    public Settings settings() {
        return cfg;
    }

    /** Samples consumed so far (the index the next sample will get). */
    public long samplesSeen() {
        return n;
    }

    /** RR intervals and heart rate of the beats emitted so far. */
    public RrTracker rr() {
        return rr;
    }

    /** Current weight of each lead in the fusion, normalised to sum 1 (0 for a lead that is off). */
    public double[] leadWeights() {
        double s = 0;
        for (double w : weight) {
            s += w;
        }
        double[] out = new double[leads];
        for (int i = 0; i < leads && s > 0; i++) {
            out[i] = weight[i] / s;
        }
        return out;
    }

    /**
     * Upper bound of the delay between a regular (not search-back, not learning) beat's fiducial
     * and its emission, in seconds: three peak-picking radii (one normally; up to three while a
     * rising train of peaks postpones the decision) + integration window + filter delays + margins.
     */
    public double maxRegularDelaySeconds() {
        return (3 * look + win + margin + groupDelay + refine + 1) / fs;
    }

    /** Format of {@link #writeTo}; bump when the detector's state changes. */
    private static final int STATE_FORMAT = 1;

    /**
     * Writes the detector's whole state (its settings, sampling rate, lead count and every mutable
     * field) in a compact binary form, arrays in bulk: for keyed-state serializers, where Java
     * serialization of the same state was the largest cost of a checkpoint. {@link #readFrom}
     * gives a detector that continues exactly where this one is ({@code QrsDetectorStateTest}).
     */
    public void writeTo(java.io.DataOutput out) throws IOException {
        out.writeInt(STATE_FORMAT);
        out.writeDouble(fs);
        out.writeInt(leads);
        out.writeDouble(cfg.lowHz());
        out.writeDouble(cfg.highHz());
        out.writeDouble(cfg.integrationSeconds());
        out.writeDouble(cfg.refractorySeconds());
        out.writeDouble(cfg.tWaveSeconds());
        out.writeDouble(cfg.tWaveSlopeRatio());
        out.writeDouble(cfg.thresholdPosition());
        out.writeDouble(cfg.searchBackFactor());
        out.writeDouble(cfg.searchBackRatio());
        out.writeDouble(cfg.learnSeconds());
        StateIO.writeDoubles(out, z);
        StateIO.writeDoubles(out, offset);
        StateIO.writeDoubles(out, lastInput);
        StateIO.writeBooleans(out, started);
        StateIO.writeBooleans(out, valid);
        StateIO.writeDoubles(out, prevBp);
        StateIO.writeFloats(out, mwi);
        StateIO.writeDoubles(out, mwiSum);
        StateIO.writeFloats(out, bpHist);
        StateIO.writeFloats(out, mHist);
        StateIO.writeFloats(out, eHist);
        StateIO.writeFloats(out, x);
        StateIO.writeDoubles(out, level);
        StateIO.writeDoubles(out, slopeLevel);
        StateIO.writeDoubles(out, leadNoise);
        StateIO.writeDoubles(out, activity);
        StateIO.writeDoubles(out, weight);
        StateIO.writeDoubles(out, learnSumE);
        StateIO.writeInts(out, learnCount);
        StateIO.writeBooleans(out, known);
        out.writeLong(learnedFrames);
        out.writeDouble(f1);
        out.writeDouble(f2);
        out.writeLong(pendT);
        out.writeDouble(pendF);
        out.writeLong(chainStart);
        out.writeLong(lastCandT);
        out.writeDouble(lastCandF);
        StateIO.writeLongs(out, cT);
        StateIO.writeLongs(out, cFid);
        StateIO.writeFloats(out, cE);
        StateIO.writeFloats(out, cS);
        StateIO.writeBytes(out, cState);
        out.writeInt(head);
        out.writeInt(size);
        out.writeDouble(spk);
        out.writeDouble(npk);
        out.writeLong(lastBeatT);
        out.writeDouble(lastBeatS);
        StateIO.writeLongs(out, rrHist);
        out.writeInt(rrCount);
        out.writeInt(rrNext);
        out.writeLong(searchedUpTo);
        out.writeBoolean(learning);
        out.writeBoolean(gap);
        out.writeLong(relaxedAt);
        out.writeLong(n);
        rr.writeTo(out);
    }

    /** A detector from {@link #writeTo}: the same settings, continuing exactly where the written one was. */
    public static QrsDetector readFrom(java.io.DataInput in) throws IOException {
        int format = in.readInt();
        if (format != STATE_FORMAT) {
            throw new IOException("QrsDetector state format " + format + ", this version reads " + STATE_FORMAT);
        }
        double fs = in.readDouble();
        int leads = in.readInt();
        Settings cfg = new Settings(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        QrsDetector d = new QrsDetector(fs, leads, cfg);
        StateIO.into(StateIO.readDoubles(in), d.z, "z");
        StateIO.into(StateIO.readDoubles(in), d.offset, "offset");
        StateIO.into(StateIO.readDoubles(in), d.lastInput, "lastInput");
        StateIO.into(StateIO.readBooleans(in), d.started, "started");
        StateIO.into(StateIO.readBooleans(in), d.valid, "valid");
        StateIO.into(StateIO.readDoubles(in), d.prevBp, "prevBp");
        StateIO.into(StateIO.readFloats(in), d.mwi, "mwi");
        StateIO.into(StateIO.readDoubles(in), d.mwiSum, "mwiSum");
        StateIO.into(StateIO.readFloats(in), d.bpHist, "bpHist");
        StateIO.into(StateIO.readFloats(in), d.mHist, "mHist");
        StateIO.into(StateIO.readFloats(in), d.eHist, "eHist");
        StateIO.into(StateIO.readFloats(in), d.x, "x");
        StateIO.into(StateIO.readDoubles(in), d.level, "level");
        StateIO.into(StateIO.readDoubles(in), d.slopeLevel, "slopeLevel");
        StateIO.into(StateIO.readDoubles(in), d.leadNoise, "leadNoise");
        StateIO.into(StateIO.readDoubles(in), d.activity, "activity");
        StateIO.into(StateIO.readDoubles(in), d.weight, "weight");
        StateIO.into(StateIO.readDoubles(in), d.learnSumE, "learnSumE");
        StateIO.into(StateIO.readInts(in), d.learnCount, "learnCount");
        StateIO.into(StateIO.readBooleans(in), d.known, "known");
        d.learnedFrames = in.readLong();
        d.f1 = in.readDouble();
        d.f2 = in.readDouble();
        d.pendT = in.readLong();
        d.pendF = in.readDouble();
        d.chainStart = in.readLong();
        d.lastCandT = in.readLong();
        d.lastCandF = in.readDouble();
        StateIO.into(StateIO.readLongs(in), d.cT, "cT");
        StateIO.into(StateIO.readLongs(in), d.cFid, "cFid");
        StateIO.into(StateIO.readFloats(in), d.cE, "cE");
        StateIO.into(StateIO.readFloats(in), d.cS, "cS");
        StateIO.into(StateIO.readBytes(in), d.cState, "cState");
        d.head = in.readInt();
        d.size = in.readInt();
        d.spk = in.readDouble();
        d.npk = in.readDouble();
        d.lastBeatT = in.readLong();
        d.lastBeatS = in.readDouble();
        StateIO.into(StateIO.readLongs(in), d.rrHist, "rrHist");
        d.rrCount = in.readInt();
        d.rrNext = in.readInt();
        d.searchedUpTo = in.readLong();
        d.learning = in.readBoolean();
        d.gap = in.readBoolean();
        d.relaxedAt = in.readLong();
        d.n = in.readLong();
        d.rr.readFrom(in);
        return d;
    }

    /** The whole detector state as bytes (Java serialization), e.g. for a {@code ValueState<byte[]>}. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A detector restored from {@link #toBytes()}; it continues exactly where the original was. */
    public static QrsDetector fromBytes(byte[] state) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(state))) {
            return (QrsDetector) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("not a QrsDetector state", e);
        }
    }

    /**
     * Processes {@code samples[lead][from..to)} for every lead; beats go to {@code sink} as soon as
     * they are decided.
     */
    public void process(float[][] samples, int from, int to, BeatSink sink) {
        if (samples.length != leads) {
            throw new IllegalArgumentException("expected " + leads + " leads, got " + samples.length);
        }
        for (int k = from; k < to; ) {
            int count = Math.min(BLOCK, to - k);
            int pos = (int) (n % win);
            for (int i = 0; i < leads; i++) {
                filter(i, samples[i], k, 1, count, pos);
            }
            decideBlock(count, sink);
            k += count;
        }
        if (to > from) {
            // x is part of the state: the last frame, however the input was chunked
            for (int i = 0; i < leads; i++) {
                x[i] = samples[i][to - 1];
            }
        }
    }

    /** Processes every sample of {@code samples[lead][]}. */
    public void process(float[][] samples, BeatSink sink) {
        process(samples, 0, samples.length == 0 ? 0 : samples[0].length, sink);
    }

    /** Processes {@code frames} frames of interleaved samples (lead 0, lead 1, ... of frame 0, then frame 1, ...). */
    public void processInterleaved(float[] data, int frames, BeatSink sink) {
        if (data.length < frames * leads) {
            throw new IllegalArgumentException("need " + frames * leads + " values, got " + data.length);
        }
        for (int f = 0; f < frames; ) {
            int count = Math.min(BLOCK, frames - f);
            int pos = (int) (n % win);
            for (int i = 0; i < leads; i++) {
                filter(i, data, f * leads + i, leads, count, pos);
            }
            decideBlock(count, sink);
            f += count;
        }
        if (frames > 0) {
            System.arraycopy(data, (frames - 1) * leads, x, 0, leads);
        }
    }

    /** Processes one frame: one sample per lead. */
    public void processFrame(float[] frame, BeatSink sink) {
        if (frame.length < leads) {
            throw new IllegalArgumentException("expected " + leads + " samples in the frame, got " + frame.length);
        }
        System.arraycopy(frame, 0, x, 0, leads);
        repeatFrame(1, sink);
    }

    /**
     * Marks {@code count} missing samples (a gap in the stream): like that many NaN frames, so beats
     * keep their sample indexes and no RR interval spans the gap, but in constant time for long
     * gaps.
     */
    public void skip(long count, BeatSink sink) {
        Arrays.fill(x, Float.NaN);
        long fed = Math.min(count, (long) hist + win + refr);
        repeatFrame(fed, sink);
        if (count > fed) {
            // everything that depends on recent samples is flat by now: only the clock moves
            n += count - fed;
            lastBeatT = n;
            searchedUpTo = n;
        }
    }

    /**
     * End of a record: decides the candidates still pending by running the detector on about 0.4 s
     * of flat signal (each lead held at its last value), so a beat in the last few hundred
     * milliseconds is not lost. The sample counter advances by that padding; beats it yields lie
     * before the padding. Meant for finite records, not for a live stream.
     */
    public void flush(BeatSink sink) {
        for (int i = 0; i < leads; i++) {
            x[i] = valid[i] ? (float) (lastInput[i] + offset[i]) : Float.NaN;
        }
        repeatFrame(refr + win + margin + 2, sink);
    }

    /** Processes the frame in {@code x} {@code count} times. */
    private void repeatFrame(long count, BeatSink sink) {
        for (long k = 0; k < count; ) {
            int block = (int) Math.min(BLOCK, count - k);
            int pos = (int) (n % win);
            for (int i = 0; i < leads; i++) {
                filter(i, x, i, 0, block, pos);
            }
            decideBlock(block, sink);
            k += block;
        }
    }

    /**
     * The filter stage of lead {@code i} for the next {@code count} (at most {@value #BLOCK})
     * samples, {@code in[at]}, {@code in[at + stride]}, ...: lead-off handling, the detection
     * band-pass, derivative, squaring and moving-window integration (from window position {@code
     * pos}, that is {@code n % win}), and the 1-30 Hz filter, into the block arrays. The filter
     * state lives in local variables for the block; each section computes exactly what one
     * biquad step per sample did, in the same order of operations, so the values are bit for bit
     * those of the per-sample loop. {@code valid[i]} is the lead's state before the block: the
     * decision stage updates it per sample.
     */
    private void filter(int i, float[] in, int at, int stride, int count, int pos) {
        boolean on = started[i];
        boolean was = valid[i];
        double off = offset[i];
        double held = lastInput[i];
        int o = i * 16;
        double hx1 = z[o];
        double hx2 = z[o + 1];
        double hy1 = z[o + 2];
        double hy2 = z[o + 3];
        double lx1 = z[o + 4];
        double lx2 = z[o + 5];
        double ly1 = z[o + 6];
        double ly2 = z[o + 7];
        double mhx1 = z[o + 8];
        double mhx2 = z[o + 9];
        double mhy1 = z[o + 10];
        double mhy2 = z[o + 11];
        double mlx1 = z[o + 12];
        double mlx2 = z[o + 13];
        double mly1 = z[o + 14];
        double mly2 = z[o + 15];
        double prev = prevBp[i];
        double sum = mwiSum[i];
        int w = i * win;
        int m = pos;
        for (int k = 0, b = i * BLOCK; k < count; k++, b++, at += stride) {
            float v = in[at];
            boolean ok = Float.isFinite(v);
            double u;
            if (ok) {
                if (!on) {
                    on = true;
                    off = v; // the filters start from rest: no start-up step
                } else if (!was) {
                    off = v - held; // lead back on: continue where it left off
                }
                u = v - off;
                held = u;
            } else {
                u = held; // lead off: hold, the filters decay to zero
            }
            was = ok;
            double y1 = hp[0] * u + hp[1] * hx1 + hp[2] * hx2 - hp[3] * hy1 - hp[4] * hy2;
            if (Math.abs(y1) < FLUSH) {
                y1 = 0;
            }
            hx2 = hx1;
            hx1 = u;
            hy2 = hy1;
            hy1 = y1;
            double y2 = lp[0] * y1 + lp[1] * lx1 + lp[2] * lx2 - lp[3] * ly1 - lp[4] * ly2;
            if (Math.abs(y2) < FLUSH) {
                y2 = 0;
            }
            lx2 = lx1;
            lx1 = y1;
            ly2 = ly1;
            ly1 = y2;
            double m1 = mhp[0] * u + mhp[1] * mhx1 + mhp[2] * mhx2 - mhp[3] * mhy1 - mhp[4] * mhy2;
            if (Math.abs(m1) < FLUSH) {
                m1 = 0;
            }
            mhx2 = mhx1;
            mhx1 = u;
            mhy2 = mhy1;
            mhy1 = m1;
            double m2 = mlp[0] * m1 + mlp[1] * mlx1 + mlp[2] * mlx2 - mlp[3] * mly1 - mlp[4] * mly2;
            if (Math.abs(m2) < FLUSH) {
                m2 = 0;
            }
            mlx2 = mlx1;
            mlx1 = m1;
            mly2 = mly1;
            mly1 = m2;
            double d = (y2 - prev) * fs;
            prev = y2;
            float sq = (float) (d * d);
            sum += sq - mwi[w + m];
            mwi[w + m] = sq;
            if (++m == win) {
                m = 0;
            }
            okBlock[b] = ok;
            bpBlock[b] = (float) y2;
            mBlock[b] = (float) m2;
            eBlock[b] = Math.max(0, sum) / win;
        }
        started[i] = on;
        offset[i] = off;
        lastInput[i] = held;
        z[o] = hx1;
        z[o + 1] = hx2;
        z[o + 2] = hy1;
        z[o + 3] = hy2;
        z[o + 4] = lx1;
        z[o + 5] = lx2;
        z[o + 6] = ly1;
        z[o + 7] = ly2;
        z[o + 8] = mhx1;
        z[o + 9] = mhx2;
        z[o + 10] = mhy1;
        z[o + 11] = mhy2;
        z[o + 12] = mlx1;
        z[o + 13] = mlx2;
        z[o + 14] = mly1;
        z[o + 15] = mly2;
        prevBp[i] = prev;
        mwiSum[i] = sum;
    }

    /**
     * The decision stage for the {@code count} samples of the block the filter stage has filled,
     * one sample after the other: decisions at a sample see the histories up to that sample only.
     */
    private void decideBlock(int count, BeatSink sink) {
        int h = (int) (n % hist);
        for (int k = 0; k < count; k++) {
            step(k, h, sink);
            h = h + 1 == hist ? 0 : h + 1; // n % hist, without a division per sample
        }
    }

    /**
     * One sample: the leads' values from the block at {@code k} into the histories at {@code h},
     * their levels and fusion, then the decisions.
     */
    private void step(int k, int h, BeatSink sink) {
        double fsum = 0;
        double wsum = 0;
        for (int i = 0, b = k; i < leads; i++, b += BLOCK) {
            boolean ok = okBlock[b];
            if (ok && !valid[i] && !learning) {
                weight[i] = 0; // recomputed at the next decision
            }
            valid[i] = ok;
            double e = eBlock[b];
            int hi = i * hist + h;
            bpHist[hi] = bpBlock[b];
            mHist[hi] = mBlock[b];
            eHist[hi] = (float) e;
            if (!ok) {
                continue;
            }
            if (learning) {
                // levels are not known yet: peak picking only needs the shape of the evidence
                learnSumE[i] += Math.sqrt(e);
                learnCount[i]++;
                level[i] = Math.max(level[i], e);
                fsum += Math.sqrt(e);
                wsum += 1;
            } else if (!known[i]) {
                // a lead that was off while the detector learned joins once it has its own level
                level[i] = Math.max(level[i], e);
                if (++learnCount[i] >= learn && level[i] > 0) {
                    known[i] = true;
                    leadNoise[i] = 0.1;
                    activity[i] = 1;
                    slopeLevel[i] = 0; // taken from its first beat
                    updateWeight(i);
                }
            } else if (level[i] > 0 && weight[i] > 0) {
                fsum += weight[i] * Math.sqrt(e / level[i]);
                wsum += weight[i];
            } else if (level[i] > 0) {
                updateWeight(i);
                fsum += weight[i] * Math.sqrt(e / level[i]);
                wsum += weight[i];
            }
        }
        double f = wsum > 0 ? fsum / wsum : 0;
        boolean gapNow = wsum == 0;
        if (gapNow && !gap) {
            rr.breakSequence();
        } else if (!gapNow && gap && !learning) {
            // back from a gap: nothing before it may be searched back or joined to an RR interval
            lastBeatT = n;
            lastBeatS = 0;
            searchedUpTo = n;
        }
        gap = gapNow;

        if (n >= 2 && f1 > f2 && f1 >= f) {
            localMax(n - 1, f1);
        }
        f2 = f1;
        f1 = f;
        if (pendT >= 0 && (n - pendT > look || n - chainStart > 3 * look)) {
            long t = pendT;
            double v = pendF;
            pendT = -1;
            lastCandT = t;
            lastCandF = v;
            confirm(t, sink);
        }
        if (learning && wsum > 0 && ++learnedFrames >= learn) {
            endLearning(sink);
        }
        if (!learning) {
            searchBack(sink);
            relax();
        }
        n++;
    }

    /**
     * Peak picking: keeps the largest local maximum of the fused evidence; it becomes a candidate
     * once no larger one has come within the refractory radius on either side.
     */
    private void localMax(long t, double v) {
        if (pendT >= 0) {
            if (v > pendF) {
                pendT = t;
                pendF = v;
            }
        } else if (!(lastCandT >= 0 && t - lastCandT <= look && v <= lastCandF)) {
            pendT = t;
            pendF = v;
            chainStart = t;
        }
    }

    /** The candidate at {@code p} (a peak of the fused evidence) is final: measure it, then decide. */
    private void confirm(long p, BeatSink sink) {
        int slot = head;
        head = (head + 1) % CAP;
        if (size < CAP) {
            size++;
        }
        cT[slot] = p;
        cState[slot] = 0;
        int hp0 = (int) (p % hist);
        long from = Math.max(1, p - win - margin);
        long to = Math.min(n - 1, p + margin);
        int hFrom = (int) ((from - 1) % hist);
        int best = 0;
        double bestScore = -1;
        for (int i = 0; i < leads; i++) {
            int base = i * hist;
            float e = eHist[base + hp0];
            cE[slot * leads + i] = e;
            // steepest slope of the band-passed lead in the integration window ending at the peak
            double maxSlope = 0;
            int h1 = hFrom;
            for (long k = from; k <= to; k++) {
                int h = h1 + 1 == hist ? 0 : h1 + 1; // k % hist, without a division per sample
                double s = Math.abs(bpHist[base + h] - bpHist[base + h1]);
                maxSlope = Math.max(maxSlope, s);
                h1 = h;
            }
            cS[slot * leads + i] = (float) (maxSlope * fs);
            double score = valid[i] && level[i] > 0 ? weight(i) * Math.sqrt(e / level[i]) : 0;
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        cFid[slot] = fiducial(from, to, best);
        if (!learning) {
            decide(slot, sink);
        }
    }

    private double weight(int i) {
        return learning ? 1 : weight[i];
    }

    /**
     * Energy centroid of the complex over all leads (robust: it stays inside a wide or notched
     * complex), then the largest deflection of the best lead's 1-30 Hz signal near it.
     */
    private long fiducial(long from, long to, int best) {
        double sw = 0;
        double sk = 0;
        int hk1 = (int) ((from - 1) % hist);
        for (long k = from; k <= to; k++) {
            int hk = hk1 + 1 == hist ? 0 : hk1 + 1;
            double en = 0;
            for (int i = 0; i < leads; i++) {
                if (valid[i] && level[i] > 0) {
                    double d = bpHist[i * hist + hk] - bpHist[i * hist + hk1];
                    en += weight(i) * d * d / level[i];
                }
            }
            sw += en;
            sk += en * k;
            hk1 = hk;
        }
        long c = (sw > 0 ? Math.round(sk / sw) : to) - groupDelay;
        long arg = c;
        double max = -1;
        for (long k = c - refine; k <= c + refine; k++) {
            long km = k + groupDelayM;
            if (km < 0 || km >= n || n - km >= hist) {
                continue;
            }
            double a = Math.abs(mHist[best * hist + (int) (km % hist)]);
            if (a > max) {
                max = a;
                arg = k;
            }
        }
        return Math.max(0, arg);
    }

    private double evidence(int slot, int lead) {
        return level[lead] > 0 ? Math.sqrt(cE[slot * leads + lead] / level[lead]) : 0;
    }

    /** Fused evidence at a recent sample, from the energy history and the current weights. */
    private double fusedAt(long t) {
        if (t < 0 || n - t >= hist) {
            return 0;
        }
        int h = (int) (t % hist);
        double s = 0;
        double w = 0;
        for (int i = 0; i < leads; i++) {
            if (valid[i] && level[i] > 0 && weight[i] > 0) {
                s += weight[i] * Math.sqrt(eHist[i * hist + h] / level[i]);
                w += weight[i];
            }
        }
        return w > 0 ? s / w : 0;
    }

    /** Weighted mean of the leads' evidence at a candidate. */
    private double fused(int slot) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < leads; i++) {
            if (valid[i] && level[i] > 0 && weight[i] > 0) {
                s += weight[i] * evidence(slot, i);
                w += weight[i];
            }
        }
        return w > 0 ? s / w : 0;
    }

    /** Weighted mean of the leads' steepest slope, each relative to that lead's QRS slope level. */
    private double fusedSlope(int slot) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < leads; i++) {
            if (valid[i] && slopeLevel[i] > 0 && weight[i] > 0) {
                s += weight[i] * cS[slot * leads + i] / slopeLevel[i];
                w += weight[i];
            }
        }
        return w > 0 ? s / w : 0;
    }

    private boolean tWave(int slot) {
        return lastBeatT >= 0 && cT[slot] - lastBeatT < twave
                && fusedSlope(slot) < cfg.tWaveSlopeRatio() * lastBeatS;
    }

    /** Detection threshold: a fraction of the way from the noise level to the signal level in decibels. */
    private double threshold() {
        double noise = Math.max(npk, 1e-3 * spk);
        return noise * Math.pow(spk / noise, cfg.thresholdPosition());
    }

    /** Diagnostics for tuning: sees every decided candidate. Not serialized; null in production. */
    interface CandidateTrace {
        void candidate(long peak, long fiducial, double fused, double threshold, double[] evidence,
                double slopeRatio, long sinceLastBeat, double rrAverage, boolean accepted);

        void searchBack(long peak);
    }

    transient CandidateTrace trace;

    private void decide(int slot, BeatSink sink) {
        updateWeights();
        double f = fused(slot);
        boolean refractory = lastBeatT >= 0 && cT[slot] - lastBeatT < refr;
        if (trace != null) {
            double[] ev = new double[leads];
            for (int i = 0; i < leads; i++) {
                ev[i] = level[i] > 0 ? evidence(slot, i) : 0;
            }
            trace.candidate(cT[slot], cFid[slot], f, threshold(), ev,
                    lastBeatS > 0 ? fusedSlope(slot) / lastBeatS : Double.NaN,
                    lastBeatT >= 0 ? cT[slot] - lastBeatT : -1, rrAverage(),
                    !refractory && f > threshold() && !tWave(slot));
        }
        if (!refractory && f > threshold() && !tWave(slot)) {
            spk = LEVEL_RATE * Math.min(f, LEVEL_CLIP * spk) + (1 - LEVEL_RATE) * spk;
            accept(slot, sink);
        } else {
            npk = LEVEL_RATE * f + (1 - LEVEL_RATE) * npk;
            cState[slot] = 1;
            for (int i = 0; i < leads; i++) {
                if (valid[i] && known[i]) {
                    leadNoise[i] = LEVEL_RATE * Math.min(evidence(slot, i), 2.0) + (1 - LEVEL_RATE) * leadNoise[i];
                }
            }
        }
    }

    /** Lead weight: inverse noise variance, scaled down when the lead showed no beat lately. */
    private void updateWeight(int i) {
        double nz = Math.max(leadNoise[i], NOISE_FLOOR);
        double act = Math.min(1, activity[i] / ACTIVE_LEVEL);
        weight[i] = valid[i] && known[i] ? act * act / (nz * nz) : 0;
    }

    /** Activity of each lead: its largest evidence among the candidates of the last 1.5 RR. */
    private void updateWeights() {
        long since = n - look - (long) (ACTIVITY_RR * rrAverage());
        for (int i = 0; i < leads; i++) {
            double mx = 0;
            for (int k = 0; k < size; k++) {
                int slot = Math.floorMod(head - 1 - k, CAP);
                if (cT[slot] < since) {
                    break;
                }
                if (level[i] > 0) {
                    mx = Math.max(mx, evidence(slot, i));
                }
            }
            activity[i] = mx;
            updateWeight(i);
        }
    }

    private void accept(int slot, BeatSink sink) {
        cState[slot] = 2;
        long t = cT[slot];
        for (int i = 0; i < leads; i++) {
            if (valid[i] && known[i]) {
                // a lead far above its usual beat size at a beat is probably noisy: raise its noise
                // level now instead of waiting for rejected candidates (reacts to noise onset)
                double excess = Math.min(evidence(slot, i), 2.0 + BEAT_EXCESS) - BEAT_EXCESS;
                if (excess > leadNoise[i]) {
                    leadNoise[i] = LEVEL_RATE * excess + (1 - LEVEL_RATE) * leadNoise[i];
                }
                double e = cE[slot * leads + i];
                level[i] = LEVEL_RATE * Math.min(e, LEVEL_CLIP * level[i]) + (1 - LEVEL_RATE) * level[i];
                double s = cS[slot * leads + i];
                slopeLevel[i] = slopeLevel[i] > 0
                        ? LEVEL_RATE * Math.min(s, LEVEL_CLIP * slopeLevel[i]) + (1 - LEVEL_RATE) * slopeLevel[i]
                        : s;
            }
        }
        if (lastBeatT >= 0 && !gap) {
            rrHist[rrNext] = t - lastBeatT;
            rrNext = (rrNext + 1) % RR_HISTORY;
            rrCount = Math.min(rrCount + 1, RR_HISTORY);
            rrAverageMemo = 0;
        }
        lastBeatT = t;
        lastBeatS = fusedSlope(slot);
        rr.onBeat(cFid[slot]);
        sink.onBeat(cFid[slot], n);
    }

    /**
     * Mean of the last 8 RR intervals in samples, kept within 0.3-1.8 s; 1.8 s before the first
     * one, so that an unknown slow rhythm does not trigger search-back on its T waves.
     */
    private double rrAverage() {
        double a = rrAverageMemo;
        if (a > 0) {
            return a;
        }
        if (rrCount == 0) {
            a = MAX_RR_SECONDS * fs;
        } else {
            long s = 0;
            for (int i = 0; i < rrCount; i++) {
                s += rrHist[i];
            }
            a = Math.max(MIN_RR_SECONDS * fs, Math.min(MAX_RR_SECONDS * fs, (double) s / rrCount));
        }
        rrAverageMemo = a;
        return a;
    }

    /**
     * Search-back: after 1.66 mean RR intervals without a beat, the largest candidate since the
     * last beat that exceeds half the threshold (and is not a T wave) is a beat.
     */
    private void searchBack(BeatSink sink) {
        long horizon = n - look;
        while (lastBeatT >= 0 && horizon - lastBeatT > cfg.searchBackFactor() * rrAverage()
                && searchedUpTo < latestDecided()) {
            double thr2 = cfg.searchBackRatio() * threshold();
            int best = -1;
            double bestF = thr2;
            for (int k = 0; k < size; k++) {
                int slot = Math.floorMod(head - 1 - k, CAP);
                if (cT[slot] <= lastBeatT) {
                    break;
                }
                if (cState[slot] != 1 || cT[slot] - lastBeatT < refr) {
                    continue;
                }
                double f = fused(slot);
                if (f > bestF && !tWave(slot)) {
                    bestF = f;
                    best = slot;
                }
            }
            if (best < 0) {
                searchedUpTo = latestDecided();
                return;
            }
            spk = 0.25 * bestF + 0.75 * spk;
            if (trace != null) {
                trace.searchBack(cT[best]);
            }
            accept(best, sink);
            searchedUpTo = -1; // the last beat moved: the candidates after it may be searched again
        }
    }

    /**
     * After 5 s without a beat (and every 5 s after that) the signal level is halved, but kept
     * above 4 x the noise level, so a lasting drop in amplitude is re-learned instead of blinding
     * the detector while a true pause is not filled with noise.
     */
    private void relax() {
        if (lastBeatT >= 0 && n - lastBeatT > relearn && n - relaxedAt > relearn) {
            spk = Math.max(0.5 * spk, 4 * npk);
            relaxedAt = n;
        }
    }

    private long latestDecided() {
        return size == 0 ? -1 : cT[Math.floorMod(head - 1, CAP)];
    }

    /** End of learning: levels from the first seconds, then the candidates seen so far are decided. */
    private void endLearning(BeatSink sink) {
        learning = false;
        for (int i = 0; i < leads; i++) {
            // a lead that was off most of the time (or flat) learns its own level later
            known[i] = learnCount[i] >= learn / 2 && level[i] > 0;
            weight[i] = known[i] ? 1 : 0;
        }
        double bestF = 0;
        int bestSlot = -1;
        double noise = 0;
        int used = 0;
        for (int k = size - 1; k >= 0; k--) {
            int slot = Math.floorMod(head - 1 - k, CAP);
            double f = fused(slot);
            if (f > bestF) {
                bestF = f;
                bestSlot = slot;
            }
        }
        for (int i = 0; i < leads; i++) {
            if (known[i]) {
                noise += learnSumE[i] / learnCount[i] / Math.sqrt(level[i]);
                used++;
            }
        }
        spk = bestF > 0 ? bestF : 1;
        npk = used > 0 ? noise / used : 0.1 * spk;
        for (int i = 0; i < leads; i++) {
            slopeLevel[i] = known[i] && bestSlot >= 0 ? cS[bestSlot * leads + i] : 0;
            if (!known[i]) {
                level[i] = 0;
                learnCount[i] = 0;
            }
            updateWeight(i);
        }
        // peak picking continues in the normalised units from now on
        f1 = fusedAt(n);
        f2 = fusedAt(n - 1);
        if (pendT >= 0) {
            pendF = fusedAt(pendT);
        }
        if (lastCandT >= 0) {
            lastCandF = n - lastCandT < hist ? fusedAt(lastCandT) : 0;
        }
        for (int k = size - 1; k >= 0; k--) {
            decide(Math.floorMod(head - 1 - k, CAP), sink);
        }
        if (lastBeatT < 0) {
            lastBeatT = 0;
            lastBeatS = 0;
        }
        searchBack(sink);
    }

    /** Group delay of two cascaded sections at {@code hz}, in seconds. */
    private double groupDelaySeconds(double[] s1, double[] s2, double hz) {
        double w = 2 * Math.PI * hz / fs;
        double dw = 1e-4;
        double dp = phase(s1, w + dw) + phase(s2, w + dw) - phase(s1, w - dw) - phase(s2, w - dw);
        while (dp > Math.PI) {
            dp -= 2 * Math.PI;
        }
        while (dp < -Math.PI) {
            dp += 2 * Math.PI;
        }
        return -dp / (2 * dw) / fs;
    }

    private static double phase(double[] c, double w) {
        double nr = c[0] + c[1] * Math.cos(w) + c[2] * Math.cos(2 * w);
        double ni = -c[1] * Math.sin(w) - c[2] * Math.sin(2 * w);
        double dr = 1 + c[3] * Math.cos(w) + c[4] * Math.cos(2 * w);
        double di = -c[3] * Math.sin(w) - c[4] * Math.sin(2 * w);
        return Math.atan2(ni, nr) - Math.atan2(di, dr);
    }

    /** Second-order Butterworth section (b0 b1 b2 a1 a2) by the bilinear transform with pre-warping. */
    static double[] butterworth2(double cutoffHz, double fs, boolean highPass) {
        double k = Math.tan(Math.PI * cutoffHz / fs);
        double norm = 1 / (1 + Math.sqrt(2) * k + k * k);
        double a1 = 2 * (k * k - 1) * norm;
        double a2 = (1 - Math.sqrt(2) * k + k * k) * norm;
        if (highPass) {
            return new double[] {norm, -2 * norm, norm, a1, a2};
        }
        double b0 = k * k * norm;
        return new double[] {b0, 2 * b0, b0, a1, a2};
    }
}
