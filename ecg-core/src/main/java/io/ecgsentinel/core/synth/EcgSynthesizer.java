package io.ecgsentinel.core.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A streaming synthetic 12-lead ECG: {@link #next(float[][], int, int)} returns the next samples
 * of any lead subset at any sampling rate, deterministically for a seed, with ground truth
 * delivered to a {@link TruthListener} as the samples that contain it are generated.
 *
 * <p>The model follows ECGSYN (McSharry et al. 2003): each beat is a sum of Gaussian waves (P, Q,
 * R, S, T) placed relative to the R peak, with P-R and Q-T timing that adapts to the RR interval;
 * the RR intervals come from a process with LF (about 0.1 Hz) and HF (respiratory) components.
 * Unlike ECGSYN's single scalar, each wave is a 3-D dipole (x, y and z with their own amplitudes
 * and small time skews), projected to the leads with Dower's coefficients; III, aVR, aVL and aVF
 * are computed from I and II, so {@code III = II - I} holds sample by sample.
 *
 * <p>Noise: respiratory baseline wander and a slow drift, muscle noise, power-line interference
 * (50 or 60 Hz), plus scheduled electrode-motion episodes. Events come from a {@link Scenario}:
 * PVCs (isolated, couplets, bigeminy: wide QRS, no P, compensatory pause), VT, VF, asystole, AF
 * (irregular RR, no P, f-waves), SVT, bradycardia, tachycardia, pacing, ST elevation and
 * depression, and lead-off.
 *
 * <p>Cost: each beat is rendered once into a small ring buffer (a few seconds of eight
 * independent channels), and each output sample is a ring read plus noise, so memory per patient
 * is constant (about 64 KB at 500 Hz) and throughput is tens of millions of samples per second
 * per core. Not thread-safe: one instance per patient, used by one thread at a time.
 */
public final class EcgSynthesizer {

    /** Value of a lead in {@code mode=rail} lead-off, in mV. */
    public static final float RAIL_MV = 5f;

    private static final int CH = PatientModel.CH;
    private static final int MAX_BLOCK_SECONDS_DIV = 4; // blocks of at most 0.25 s
    private static final float[] GAUSS = gaussTable();

    private static final int K_NORMAL = 0;
    private static final int K_AF = 1;
    private static final int K_SVT = 2;
    private static final int K_PVC = 3;
    private static final int K_VT = 4;
    private static final int K_PACED = 5;
    private static final int K_PONLY = 6;
    private static final String[] SYMBOL = {"N", "N", "A", "V", "V", "/", null};

    private final double fs;
    private final List<StandardLead> leads;
    private final Scenario scenario;
    private final PatientModel model;
    private final double baseRate;
    private final double noise;
    private final double mainsHz;
    private final long seed;

    // output mapping: out_k = a_k * ch0 + b_k * ch1 + c_k * ch[idx_k]
    private final float[] coefA;
    private final float[] coefB;
    private final float[] coefC;
    private final int[] coefIdx;

    // ring of rendered beats, eight interleaved channels
    private final float[] ring;
    private final int ringMask;
    private long pos;

    // noise state
    private long rngState;
    private final float[] drift = new float[CH];
    private final float driftAlpha;
    private final float driftBeta;
    private final float emgSd;
    private final float[] respAmp = new float[CH];
    private final float[] mainsA = new float[CH];
    private final float[] mainsB = new float[CH];
    private double respC;
    private double respS;
    private final double respCos;
    private final double respSin;
    private double mainsC;
    private double mainsS;
    private final double mainsCos;
    private final double mainsSin;

    // continuous episodes in samples
    private final List<Range> vfRanges = new ArrayList<>();
    private final List<Range> afRanges = new ArrayList<>();
    private final List<Range> noiseRanges = new ArrayList<>();
    private final List<Range> leadOffRanges = new ArrayList<>();
    private final long[] boundaries;
    private final Oscillators vfOsc;
    private final Oscillators afOsc;
    private final float[] motion1 = new float[CH];
    private final float[] motion2 = new float[CH];
    private final float motionA1;
    private final float motionA2;
    private final float motionGain;

    // planner state (seconds)
    private final SplittableRandom plan;
    private final List<ScheduledEvent> rhythms = new ArrayList<>();
    private final List<ScheduledEvent> points = new ArrayList<>();
    private final List<ScheduledEvent> bigeminy = new ArrayList<>();
    private final List<StEpisode> stEpisodes = new ArrayList<>();
    private int rhythmIdx;
    private int pointIdx;
    private ScheduledEvent active;
    private double tLast = Double.NaN;
    private double tLastAny = -1;
    private int lastKind = -1;
    private double sinusNext;
    private int pendingCouplet;
    private String rhythmLabel;
    private Planned next;

    // truth
    private final PriorityQueue<Pending> pending = new PriorityQueue<>();
    private long pendingSeq;
    private TruthListener listener;
    private final PriorityQueue<Long> pacingPending = new PriorityQueue<>();

    // per-call outputs
    private final boolean[] lastLeadOff;
    private int[] lastPacing = new int[4];
    private int lastPacingCount;

    private EcgSynthesizer(Builder b) {
        this.fs = b.sampleRate;
        this.leads = List.copyOf(b.leads);
        this.scenario = b.scenario;
        this.seed = b.seed;
        this.model = new PatientModel(b.seed);
        this.baseRate = Double.isNaN(scenario.heartRate()) ? model.heartRate : scenario.heartRate();
        this.noise = b.noise.factor();
        this.mainsHz = b.mainsHz;
        this.listener = b.listener;

        int k = leads.size();
        coefA = new float[k];
        coefB = new float[k];
        coefC = new float[k];
        coefIdx = new int[k];
        for (int i = 0; i < k; i++) {
            StandardLead l = leads.get(i);
            coefIdx[i] = 2;
            switch (l) {
                case I -> coefA[i] = 1;
                case II -> coefB[i] = 1;
                case III -> { coefA[i] = -1; coefB[i] = 1; }
                case AVR -> { coefA[i] = -0.5f; coefB[i] = -0.5f; }
                case AVL -> { coefA[i] = 1; coefB[i] = -0.5f; }
                case AVF -> { coefA[i] = -0.5f; coefB[i] = 1; }
                default -> { coefC[i] = 1; coefIdx[i] = 2 + (l.ordinal() - StandardLead.V1.ordinal()); }
            }
        }
        lastLeadOff = new boolean[k];

        int len = Integer.highestOneBit((int) Math.ceil(fs * 4)) * 2;
        ring = new float[len * CH];
        ringMask = len - 1;

        rngState = mix(b.seed ^ 0x9E3779B97F4A7C15L);
        double fc = 0.15; // drift corner frequency (Hz)
        driftAlpha = (float) Math.exp(-2 * Math.PI * fc / fs);
        driftBeta = (float) (0.05 * noise * Math.sqrt(1 - (double) driftAlpha * driftAlpha));
        emgSd = (float) (0.008 * noise);
        for (int c = 0; c < CH; c++) {
            respAmp[c] = (float) (model.respAmp[c] * noise);
            mainsA[c] = (float) (model.mainsA[c] * noise);
            mainsB[c] = (float) (model.mainsB[c] * noise);
        }
        respC = Math.cos(model.respPhase);
        respS = Math.sin(model.respPhase);
        respCos = Math.cos(2 * Math.PI * model.respHz / fs);
        respSin = Math.sin(2 * Math.PI * model.respHz / fs);
        mainsC = 1;
        mainsS = 0;
        mainsCos = Math.cos(2 * Math.PI * mainsHz / fs);
        mainsSin = Math.sin(2 * Math.PI * mainsHz / fs);
        // electrode motion: a resonator around 1.2 Hz with about 0.7 Hz bandwidth
        double rr = Math.exp(-Math.PI * 0.7 / fs);
        double a1 = 2 * rr * Math.cos(2 * Math.PI * 1.2 / fs);
        double a2 = -rr * rr;
        motionA1 = (float) a1;
        motionA2 = (float) a2;
        double varPerUnit = (1 - a2) / ((1 + a2) * ((1 - a2) * (1 - a2) - a1 * a1));
        motionGain = (float) (1 / Math.sqrt(varPerUnit));

        plan = new SplittableRandom(b.seed * 0x2545F4914F6CDD1DL + 17);
        SplittableRandom oscR = new SplittableRandom(b.seed + 0x51ED27L);
        vfOsc = new Oscillators(oscR, 4.0, 6.0, model.vfDirs, fs);
        afOsc = new Oscillators(oscR, 4.5, 8.5, model.fwaveDirs, fs);

        List<Long> bounds = new ArrayList<>();
        for (ScheduledEvent e : scenario.events()) {
            long s = sample(e.startSeconds());
            long end = sample(e.endSeconds());
            switch (e.type()) {
                case PVC, COUPLET -> points.add(e);
                case BIGEMINY -> {
                    bigeminy.add(e);
                    queueEpisode(new TruthEpisode(e.type(), s, end, ""));
                }
                case VF -> {
                    rhythms.add(e);
                    vfRanges.add(new Range(s, end, (float) e.number("amplitude", 0.5), null, null));
                }
                case AFIB -> {
                    rhythms.add(e);
                    afRanges.add(new Range(s, end, (float) e.number("amplitude", 0.08), null, null));
                }
                case NOISE -> {
                    boolean[] chans = channelsOf(e.leads(StandardLead.ALL));
                    noiseRanges.add(new Range(s, end, (float) e.number("amplitude", 0.8), chans, null));
                    queueEpisode(new TruthEpisode(e.type(), s, end, detail(e)));
                }
                case LEAD_OFF -> {
                    List<StandardLead> off = e.leads(StandardLead.ALL);
                    boolean[] outMask = new boolean[k];
                    for (int i = 0; i < k; i++) {
                        outMask[i] = off.contains(leads.get(i));
                    }
                    float value = "rail".equals(e.param("mode", "flat")) ? RAIL_MV : 0f;
                    leadOffRanges.add(new Range(s, end, value, null, outMask));
                    queueEpisode(new TruthEpisode(e.type(), s, end, detail(e)));
                }
                case ST_ELEVATION, ST_DEPRESSION -> {
                    stEpisodes.add(new StEpisode(e.startSeconds(), e.endSeconds(), stVector(e)));
                    queueEpisode(new TruthEpisode(e.type(), s, end, detail(e)));
                }
                default -> rhythms.add(e);
            }
            if (e.type() == EventType.VF || e.type() == EventType.AFIB || e.type() == EventType.NOISE
                    || e.type() == EventType.LEAD_OFF) {
                bounds.add(s);
                bounds.add(end);
            }
        }
        boundaries = bounds.stream().mapToLong(Long::longValue).sorted().distinct().toArray();

        // The first sinus beat falls somewhere in the first RR interval.
        sinusNext = 0.05 + plan.nextDouble() * 60 / baseRate;
        next = planNext();
    }

    /** A builder with defaults: seed 0, 500 Hz, all 12 leads, normal sinus rhythm, low noise, 50 Hz mains. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link EcgSynthesizer}. */
    public static final class Builder {
        private long seed;
        private double sampleRate = 500;
        private List<StandardLead> leads = StandardLead.ALL;
        private Scenario scenario = Scenario.NORMAL;
        private NoiseLevel noise = NoiseLevel.LOW;
        private double mainsHz = 50;
        private TruthListener listener;

        private Builder() {}

        /** The seed: the same seed and settings give the same samples and truth. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Samples per second per lead (any rate from 50 Hz up). */
        public Builder sampleRate(double hz) {
            if (!(hz >= 50 && hz <= 20_000)) {
                throw new IllegalArgumentException("sample rate " + hz + " Hz outside [50, 20000]");
            }
            this.sampleRate = hz;
            return this;
        }

        public Builder leads(List<StandardLead> leads) {
            if (leads.isEmpty() || leads.stream().distinct().count() != leads.size()) {
                throw new IllegalArgumentException("leads must be a non-empty list without repeats");
            }
            this.leads = List.copyOf(leads);
            return this;
        }

        public Builder scenario(Scenario scenario) {
            this.scenario = Objects.requireNonNull(scenario);
            return this;
        }

        public Builder noise(NoiseLevel noise) {
            this.noise = Objects.requireNonNull(noise);
            return this;
        }

        /** Power-line frequency: 50 or 60 Hz. */
        public Builder mainsHz(double hz) {
            if (hz != 50 && hz != 60) {
                throw new IllegalArgumentException("mains frequency must be 50 or 60 Hz");
            }
            this.mainsHz = hz;
            return this;
        }

        public Builder truthListener(TruthListener listener) {
            this.listener = listener;
            return this;
        }

        public EcgSynthesizer build() {
            return new EcgSynthesizer(this);
        }
    }

    public double sampleRate() {
        return fs;
    }

    public List<StandardLead> leads() {
        return leads;
    }

    public Scenario scenario() {
        return scenario;
    }

    public long seed() {
        return seed;
    }

    /** The sinus rate outside episodes, bpm. */
    public double baseHeartRate() {
        return baseRate;
    }

    /** Index of the next sample {@link #next} will produce (= samples produced so far). */
    public long position() {
        return pos;
    }

    /** Replaces the truth listener (null: truth is discarded). */
    public void truthListener(TruthListener listener) {
        this.listener = listener;
    }

    /**
     * Per output lead: true when the lead was off (flat or rail) for at least one sample of the
     * last {@link #next} call. The array is reused by the next call.
     */
    public boolean[] lastLeadOff() {
        return lastLeadOff;
    }

    /** Pacemaker spikes in the last {@link #next} call, as offsets from its first sample. */
    public int[] lastPacingMarks() {
        return Arrays.copyOf(lastPacing, lastPacingCount);
    }

    /** Generates the next {@code n} samples of every lead into new arrays ({@code [lead][sample]}). */
    public float[][] next(int n) {
        float[][] out = new float[leads.size()][n];
        next(out, 0, n);
        return out;
    }

    /**
     * Generates the next {@code n} samples into {@code out[k][offset .. offset + n)}, where k
     * follows {@link #leads()}. Truth for these samples reaches the listener before this returns.
     */
    public void next(float[][] out, int offset, int n) {
        if (out.length != leads.size()) {
            throw new IllegalArgumentException("out has " + out.length + " rows, expected " + leads.size());
        }
        Arrays.fill(lastLeadOff, false);
        lastPacingCount = 0;
        long callStart = pos;
        int maxBlock = Math.max(1, (int) (fs / MAX_BLOCK_SECONDS_DIV));
        int done = 0;
        while (done < n) {
            int m = Math.min(n - done, maxBlock);
            long nb = nextBoundary(pos);
            if (nb - pos < m) {
                m = (int) (nb - pos);
            }
            long end = pos + m;
            ensureRendered(end);
            renderBlock(out, offset + done, m);
            applyLeadOff(out, offset + done, m);
            while (!pacingPending.isEmpty() && pacingPending.peek() < end) {
                long s = pacingPending.poll();
                if (lastPacingCount == lastPacing.length) {
                    lastPacing = Arrays.copyOf(lastPacing, lastPacing.length * 2);
                }
                lastPacing[lastPacingCount++] = (int) (s - callStart);
            }
            pos = end;
            emitTruth(end);
            done += m;
        }
    }

    // ---------------------------------------------------------------- sample synthesis

    private void renderBlock(float[][] out, int off, int m) {
        Range vf = find(vfRanges, pos);
        Range af = find(afRanges, pos);
        Range nz = find(noiseRanges, pos);
        final float[] ring = this.ring;
        final float[] ch = new float[CH];
        final int k = coefA.length;
        final float alpha = driftAlpha;
        final float beta = driftBeta;
        final float emg = emgSd;
        final float emgNoise = nz == null ? 0 : emgSd * 4 + 0.01f;
        double rc = respC;
        double rs = respS;
        double mc = mainsC;
        double ms = mainsS;
        long rng = rngState;
        long p = pos;
        for (int i = 0; i < m; i++, p++) {
            int base = (int) (p & ringMask) * CH;
            rng ^= rng << 13;
            rng ^= rng >>> 7;
            rng ^= rng << 17;
            long r1 = rng;
            rng ^= rng << 13;
            rng ^= rng >>> 7;
            rng ^= rng << 17;
            long r2 = rng;
            float frs = (float) rs;
            float fmc = (float) mc;
            float fms = (float) ms;
            for (int c = 0; c < CH; c++) {
                long bits = c < 4 ? r1 >>> (c << 4) : r2 >>> ((c - 4) << 4);
                float w = GAUSS[(int) (bits & 0xFFFF)];
                float d = drift[c] * alpha + beta * w;
                drift[c] = d;
                ch[c] = ring[base + c] + d + emg * model.emgGain[c] * w + respAmp[c] * frs
                        + mainsA[c] * fmc + mainsB[c] * fms;
                ring[base + c] = 0;
            }
            if (vf != null) {
                vfOsc.add(ch, vf.value);
            }
            if (af != null) {
                afOsc.add(ch, af.value);
            }
            if (nz != null) {
                // electrode motion: a resonator driven by fresh noise, on the selected channels
                for (int c = 0; c < CH; c++) {
                    if (nz.channels[c]) {
                        long bits = c < 4 ? r2 >>> (c << 4) : r1 >>> ((c - 4) << 4);
                        float w = GAUSS[(int) ((bits ^ (bits >>> 5)) & 0xFFFF)];
                        float y = motionA1 * motion1[c] + motionA2 * motion2[c] + motionGain * w;
                        motion2[c] = motion1[c];
                        motion1[c] = y;
                        ch[c] += nz.value * y + emgNoise * GAUSS[(int) ((bits >>> 20) & 0xFFFF)];
                    }
                }
            }
            float c0 = ch[0];
            float c1 = ch[1];
            for (int j = 0; j < k; j++) {
                out[j][off + i] = coefA[j] * c0 + coefB[j] * c1 + coefC[j] * ch[coefIdx[j]];
            }
            double t = rc * respCos - rs * respSin;
            rs = rs * respCos + rc * respSin;
            rc = t;
            t = mc * mainsCos - ms * mainsSin;
            ms = ms * mainsCos + mc * mainsSin;
            mc = t;
        }
        // keep the phasors on the unit circle
        double nr = 1 / Math.sqrt(rc * rc + rs * rs);
        double nm = 1 / Math.sqrt(mc * mc + ms * ms);
        respC = rc * nr;
        respS = rs * nr;
        mainsC = mc * nm;
        mainsS = ms * nm;
        rngState = rng;
        if (nz == null) {
            Arrays.fill(motion1, 0);
            Arrays.fill(motion2, 0);
        }
    }

    private void applyLeadOff(float[][] out, int off, int m) {
        if (leadOffRanges.isEmpty()) {
            return;
        }
        for (Range r : leadOffRanges) {
            if (r.start <= pos && pos < r.end) {
                for (int j = 0; j < r.outMask.length; j++) {
                    if (r.outMask[j]) {
                        Arrays.fill(out[j], off, off + m, r.value);
                        lastLeadOff[j] = true;
                    }
                }
            }
        }
    }

    private long nextBoundary(long p) {
        int i = Arrays.binarySearch(boundaries, p + 1);
        if (i < 0) {
            i = -i - 1;
        }
        return i < boundaries.length ? boundaries[i] : Long.MAX_VALUE;
    }

    private static Range find(List<Range> ranges, long p) {
        for (Range r : ranges) {
            if (r.start <= p && p < r.end) {
                return r;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- beats

    private void ensureRendered(long end) {
        while (next != null && sample(next.t + leadOf(next.kind)) < end) {
            render(next);
            next = planNext();
        }
    }

    private double leadOf(int kind) {
        return template(kind).lead;
    }

    private PatientModel.Template template(int kind) {
        return switch (kind) {
            case K_NORMAL -> model.normal;
            case K_AF, K_SVT -> model.normalNoP;
            case K_PVC -> model.pvc;
            case K_VT -> model.vt;
            case K_PACED -> model.paced;
            default -> model.pOnly;
        };
    }

    private void render(Planned b) {
        PatientModel.Template tpl = template(b.kind);
        double rrc = Math.max(0.25, Math.min(2.0, b.rr));
        double prScale = Math.pow(rrc, 0.3);
        double qtScale = Math.sqrt(rrc);
        // respiration modulates the electrical axis a little: scale amplitude by +-4 %
        double amp = 1 + 0.04 * Math.sin(2 * Math.PI * model.respHz * b.t + model.respPhase)
                + 0.01 * plan.nextGaussian();
        for (int j = 0; j < tpl.n; j++) {
            byte mode = tpl.mode[j];
            double sc = mode == PatientModel.PR ? prScale : mode == PatientModel.QT ? qtScale : 1;
            double center = (b.t + tpl.dt[j] * sc) * fs;
            if (mode == PatientModel.SPIKE) {
                long s = Math.round(center);
                int width = Math.max(1, (int) Math.round(0.0008 * fs));
                for (long q = s; q < s + width; q++) {
                    addToRing(q, tpl.amp[j], 1f);
                }
                if (s >= pos) {
                    pacingPending.add(s);
                }
                continue;
            }
            double sigma = tpl.sigma[j] * (mode == PatientModel.QT ? qtScale : 1) * fs;
            kernel(center, sigma, tpl.amp[j], (float) amp);
        }
        if (b.kind == K_NORMAL || b.kind == K_AF || b.kind == K_SVT) {
            for (StEpisode st : stEpisodes) {
                if (st.start <= b.t && b.t < st.end) {
                    for (double d : ST_DT) {
                        kernel((b.t + d * qtScale) * fs, ST_SIGMA * qtScale * fs, st.amp8, 1f);
                    }
                }
            }
        }
        if (SYMBOL[b.kind] != null) {
            long s = sample(b.t);
            if (!b.label.equals(rhythmLabel)) {
                rhythmLabel = b.label;
                queue(s, b.label);
            }
            queue(s, new TruthBeat(s, SYMBOL[b.kind]));
        }
    }

    /** ST kernels: three overlapping Gaussians make a plateau from the J point to the T wave. */
    private static final double[] ST_DT = {0.07, 0.13, 0.19};
    private static final double ST_SIGMA = 0.035;
    /** Sum of the three ST kernels 60 ms after the J point (at R + 110 ms). */
    private static final double ST_AT_J60 = stAt(0.11);

    private static double stAt(double t) {
        double s = 0;
        for (double d : ST_DT) {
            s += Math.exp(-(t - d) * (t - d) / (2 * ST_SIGMA * ST_SIGMA));
        }
        return s;
    }

    private void kernel(double center, double sigmaSamples, float[] a8, float amp) {
        double half = 4 * sigmaSamples;
        long from = Math.max(pos, (long) Math.ceil(center - half));
        long to = Math.min(pos + ringMask, (long) Math.floor(center + half));
        double inv = 1 / (2 * sigmaSamples * sigmaSamples);
        for (long q = from; q <= to; q++) {
            double d = q - center;
            addToRing(q, a8, amp * (float) Math.exp(-d * d * inv));
        }
    }

    private void addToRing(long q, float[] a8, float g) {
        if (q < pos || q > pos + ringMask) {
            return;
        }
        int base = (int) (q & ringMask) * CH;
        for (int c = 0; c < CH; c++) {
            ring[base + c] += g * a8[c];
        }
    }

    /** Plans the next beat; queues episode truth for the rhythm changes it passes on the way. */
    private Planned planNext() {
        while (true) {
            ScheduledEvent act = active;
            EventType at = act == null ? null : act.type();
            boolean sinusLike = at == null || at == EventType.BRADY || at == EventType.TACHY;
            double cand;
            int kind;
            if (sinusLike) {
                cand = sinusNext;
                kind = K_NORMAL;
            } else {
                switch (at) {
                    case VT -> {
                        cand = tLast + 60 / act.rate() * (1 + 0.012 * plan.nextGaussian());
                        kind = K_VT;
                    }
                    case SVT -> {
                        cand = tLast + 60 / act.rate() * (1 + 0.004 * plan.nextGaussian());
                        kind = K_SVT;
                    }
                    case AFIB -> {
                        double rr = 60 / act.rate() * Math.exp(0.2 * plan.nextGaussian());
                        cand = tLast + Math.max(0.3, Math.min(2.0, rr));
                        kind = K_AF;
                    }
                    case PACED -> {
                        cand = tLast + 60 / act.rate();
                        kind = K_PACED;
                    }
                    case ASYSTOLE -> {
                        cand = "on".equals(act.param("pwaves", "off")) ? sinusNext : Double.POSITIVE_INFINITY;
                        kind = K_PONLY;
                    }
                    default -> { // VF
                        cand = Double.POSITIVE_INFINITY;
                        kind = K_PONLY;
                    }
                }
            }
            // 1. the active rhythm episode ends before the next beat: resume sinus rhythm
            if (act != null && cand >= act.endSeconds()) {
                active = null;
                pendingCouplet = 0;
                // PVCs scheduled inside a VF, asystole or other non-sinus episode did not happen
                while (pointIdx < points.size() && points.get(pointIdx).startSeconds() < act.endSeconds()
                        && !(act.type() == EventType.BRADY || act.type() == EventType.TACHY
                                || act.type() == EventType.AFIB)) {
                    pointIdx++;
                }
                double rr = rrSinus(act.endSeconds(), baseRate);
                sinusNext = Math.max(act.endSeconds(), Math.max(tLastAny + 0.25,
                        Double.isNaN(tLast) ? 0 : tLast + rr));
                continue;
            }
            // 2. a rhythm episode starts before the next beat
            ScheduledEvent nx = rhythmIdx < rhythms.size() ? rhythms.get(rhythmIdx) : null;
            if (nx != null && nx.startSeconds() <= cand) {
                rhythmIdx++;
                active = nx;
                long s = sample(nx.startSeconds());
                long e = sample(nx.endSeconds());
                switch (nx.type()) {
                    case VT, SVT, AFIB, PACED -> {
                        double first = Math.max(nx.startSeconds(),
                                Double.isNaN(tLast) ? 0 : tLast + (nx.type() == EventType.AFIB ? 0.3 : 0.25));
                        if (first >= nx.endSeconds()) {
                            active = null;
                            continue;
                        }
                        String d = "rate=" + fmt(nx.rate());
                        queueEpisode(new TruthEpisode(nx.type(), sample(first), e, d));
                        int k = switch (nx.type()) {
                            case VT -> K_VT;
                            case SVT -> K_SVT;
                            case AFIB -> K_AF;
                            default -> K_PACED;
                        };
                        return place(first, k);
                    }
                    case VF, ASYSTOLE -> {
                        queueEpisode(new TruthEpisode(nx.type(), s, e, detail(nx)));
                        queue(s, nx.type().wfdbRhythm());
                        rhythmLabel = nx.type().wfdbRhythm();
                        sinusNext = Math.max(nx.startSeconds(), Double.isNaN(tLast) ? 0 : tLast + 0.3);
                        continue;
                    }
                    default -> { // BRADY, TACHY: the sinus rate changes
                        queueEpisode(new TruthEpisode(nx.type(), s, e, "rate=" + fmt(nx.rate())));
                        double rr = rrSinus(nx.startSeconds(), nx.rate());
                        sinusNext = Math.max(nx.startSeconds(), Double.isNaN(tLast) ? 0 : tLast + rr);
                        continue;
                    }
                }
            }
            // 3. ectopic beats, in sinus rhythm or AF
            if (sinusLike || at == EventType.AFIB) {
                double rrMean = 60 / sinusRate();
                double minCoupling = Math.max(0.3, 0.45 * rrMean);
                if (pendingCouplet > 0) {
                    pendingCouplet--;
                    double t = tLast + Math.max(0.3, 0.42 * rrMean);
                    if (t < cand) {
                        return placePvc(t, rrMean);
                    }
                }
                if (pointIdx < points.size() && points.get(pointIdx).startSeconds() < cand) {
                    ScheduledEvent pe = points.get(pointIdx);
                    double t = Math.max(pe.startSeconds(), Double.isNaN(tLast) ? 0.2 : tLast + minCoupling);
                    if (t < cand - 0.15) {
                        pointIdx++;
                        long s = sample(t);
                        queueEpisode(new TruthEpisode(pe.type(), s, s, ""));
                        if (pe.type() == EventType.COUPLET) {
                            pendingCouplet = 1;
                        }
                        return placePvc(t, rrMean);
                    }
                }
                if (sinusLike && lastKind == K_NORMAL && !Double.isNaN(tLast)) {
                    ScheduledEvent big = activeAt(bigeminy, tLast);
                    if (big != null) {
                        double t = tLast + 0.55 * rrMean;
                        if (t < cand && t < big.endSeconds()) {
                            return placePvc(t, rrMean);
                        }
                    }
                }
            } else {
                // no PVCs during VT, VF, asystole, SVT or pacing: such point events did not happen
                while (pointIdx < points.size() && points.get(pointIdx).startSeconds() < cand) {
                    pointIdx++;
                }
            }
            Planned p = place(cand, kind);
            if (kind == K_NORMAL || kind == K_PONLY) {
                sinusNext = cand + rrSinus(cand, sinusRate());
            }
            return p;
        }
    }

    private Planned placePvc(double t, double rrMean) {
        Planned p = place(t, K_PVC);
        p.rr = rrMean;
        // the sinus beat that falls in the PVC's refractory period is not conducted:
        // a full compensatory pause
        double refractory = Math.max(0.45, 0.56 * rrMean);
        while (sinusNext < t + refractory) {
            sinusNext += rrSinus(sinusNext, sinusRate());
        }
        return p;
    }

    private Planned place(double t, int kind) {
        Planned p = new Planned();
        p.t = t;
        p.kind = kind;
        p.rr = Double.isNaN(tLast) ? 60 / sinusRate() : t - tLast;
        p.label = labelFor(t, kind);
        if (kind != K_PONLY) {
            tLast = t;
            lastKind = kind;
        }
        tLastAny = t;
        return p;
    }

    private String labelFor(double t, int kind) {
        if (active != null && active.type().wfdbRhythm() != null && active.type() != EventType.ASYSTOLE
                && active.type() != EventType.VF) {
            return active.type().wfdbRhythm();
        }
        if (active == null && activeAt(bigeminy, kind == K_PVC ? tLast : t) != null) {
            return "(B";
        }
        return "(N";
    }

    private double sinusRate() {
        if (active != null && (active.type() == EventType.BRADY || active.type() == EventType.TACHY)) {
            return active.rate();
        }
        return baseRate;
    }

    /** RR interval of the sinus node at time t: mean 60/rate, LF and HF (respiratory) modulation. */
    private double rrSinus(double t, double rate) {
        double rr0 = 60 / rate;
        double sd = model.hrvSd * Math.min(1, 75 / rate);
        double w = 2 * Math.PI * t;
        double mod = model.lfAmp * (Math.sin(w * model.lf1 + model.phLf1) + Math.sin(w * model.lf2 + model.phLf2))
                + model.hfAmp * Math.sin(w * model.respHz + model.phHf)
                + 0.3 * plan.nextGaussian();
        return Math.max(0.25, rr0 * (1 + sd * mod));
    }

    private static ScheduledEvent activeAt(List<ScheduledEvent> list, double t) {
        for (ScheduledEvent e : list) {
            if (e.startSeconds() <= t && t < e.endSeconds()) {
                return e;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- truth

    private void queueEpisode(TruthEpisode e) {
        queue(e.onsetSample(), e);
    }

    private void queue(long sample, Object item) {
        pending.add(new Pending(sample, pendingSeq++, item));
    }

    private void emitTruth(long end) {
        while (!pending.isEmpty() && pending.peek().sample < end) {
            Pending p = pending.poll();
            if (listener == null) {
                continue;
            }
            if (p.item instanceof TruthBeat b) {
                listener.onBeat(b);
            } else if (p.item instanceof TruthEpisode e) {
                listener.onEpisode(e);
            } else {
                listener.onRhythm(p.sample, (String) p.item);
            }
        }
    }

    private long sample(double seconds) {
        return Math.round(seconds * fs);
    }

    private static String detail(ScheduledEvent e) {
        StringBuilder b = new StringBuilder();
        e.params().forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static boolean[] channelsOf(List<StandardLead> leads) {
        boolean[] m = new boolean[CH];
        for (StandardLead l : leads) {
            switch (l) {
                case I -> m[0] = true;
                case II -> m[1] = true;
                case III, AVR, AVL, AVF -> {
                    m[0] = true;
                    m[1] = true;
                }
                default -> m[2 + l.ordinal() - StandardLead.V1.ordinal()] = true;
            }
        }
        return m;
    }

    /** The 8-channel ST shift vector, scaled so the most deviated of the 12 leads moves by the amplitude. */
    private static float[] stVector(ScheduledEvent e) {
        double[] dir;
        double amp;
        if (e.type() == EventType.ST_ELEVATION) {
            amp = e.number("amplitude", 0.2);
            dir = switch (e.param("territory", "anterior")) {
                case "inferior" -> new double[] {0.0, 1.0, 0.1};
                case "lateral" -> new double[] {1.0, -0.3, 0.3};
                default -> new double[] {0.3, 0.0, -1.0};
            };
        } else {
            amp = e.number("amplitude", 0.15);
            dir = new double[] {-0.7, -0.6, -0.2};
        }
        float[] v = PatientModel.project(dir);
        double max = 0;
        double signed = 0;
        for (double x : PatientModel.twelve(v)) {
            if (Math.abs(x) > max) {
                max = Math.abs(x);
                signed = x;
            }
        }
        // elevation: the largest deviation is positive; depression: negative
        double s = Math.abs(amp) / max / ST_AT_J60;
        if ((e.type() == EventType.ST_ELEVATION) != (signed > 0)) {
            s = -s;
        }
        float[] out = new float[CH];
        for (int c = 0; c < CH; c++) {
            out[c] = (float) (v[c] * s);
        }
        return out;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z == 0 ? 0x1234567L : z;
    }

    private static float[] gaussTable() {
        SplittableRandom r = new SplittableRandom(20030301L);
        float[] t = new float[1 << 16];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextGaussian();
        }
        return t;
    }

    // ---------------------------------------------------------------- small types

    private static final class Planned {
        double t;
        int kind;
        double rr;
        String label;
    }

    private record Range(long start, long end, float value, boolean[] channels, boolean[] outMask) {}

    private record StEpisode(double start, double end, float[] amp8) {}

    private record Pending(long sample, long seq, Object item) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(sample, o.sample);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /**
     * Three slowly frequency- and amplitude-modulated sinusoids, each along its own lead vector:
     * the fibrillatory waves of AF and the chaotic waveform of VF.
     */
    private static final class Oscillators {
        private final double[] phase = new double[3];
        private final double[] freq = new double[3];
        private final double[] modPhase = new double[3];
        private final double[] weight = new double[3];
        private final float[][] dirs;
        private final double fs;
        private int tick;
        private final double[] inc = new double[3];
        private final double[] amp = new double[3];

        Oscillators(SplittableRandom r, double fLo, double fHi, float[][] dirs, double fs) {
            this.dirs = dirs;
            this.fs = fs;
            for (int i = 0; i < 3; i++) {
                phase[i] = r.nextDouble() * 2 * Math.PI;
                freq[i] = fLo + (fHi - fLo) * r.nextDouble();
                modPhase[i] = r.nextDouble() * 2 * Math.PI;
                weight[i] = 0.5 + 0.5 * r.nextDouble();
            }
            double norm = weight[0] + weight[1] + weight[2];
            for (int i = 0; i < 3; i++) {
                weight[i] /= norm / 1.6;
            }
            update();
        }

        private void update() {
            for (int i = 0; i < 3; i++) {
                modPhase[i] += 2 * Math.PI * (0.17 + 0.05 * i) * 32 / fs;
                inc[i] = 2 * Math.PI * freq[i] * (1 + 0.1 * Math.sin(modPhase[i])) / fs;
                amp[i] = weight[i] * (1 + 0.45 * Math.sin(1.3 * modPhase[i] + i));
            }
        }

        void add(float[] ch, float scale) {
            if ((tick++ & 31) == 0) {
                update();
            }
            for (int i = 0; i < 3; i++) {
                phase[i] += inc[i];
                if (phase[i] > 2 * Math.PI) {
                    phase[i] -= 2 * Math.PI;
                }
                float v = (float) (scale * amp[i] * Math.sin(phase[i]));
                float[] d = dirs[i];
                for (int c = 0; c < CH; c++) {
                    ch[c] += v * d[c];
                }
            }
        }
    }
}
