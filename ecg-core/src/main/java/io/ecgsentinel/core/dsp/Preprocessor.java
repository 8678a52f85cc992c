package io.ecgsentinel.core.dsp;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The preprocessing chain for one lead, built from a {@link PreprocessingConfig}: the one path that
 * training, evaluation and the Flink job all run.
 *
 * <p>Stages, in order: non-finite samples are replaced by the last finite one (a WFDB gap or a
 * dropped frame would otherwise poison every IIR state for good; 0 before the first finite sample);
 * {@link StreamingResampler} to the output rate; the {@link MedianBaselineFilter} when the baseline
 * method is MEDIAN; the Butterworth band-pass; the mains notch. Every filter runs at the output
 * rate, so one set of coefficients serves every input rate and every dataset sees the same filters;
 * the resampler's own anti-alias filter protects the band before decimation.
 *
 * <p>The output is delayed by {@link #delaySamples()} output samples (all stages are causal, as a
 * live monitor needs). Training must use the same delayed output and shift labels with {@link
 * #outputIndexOf(long)} instead of filtering forwards-backwards, or the model would learn a phase
 * it never sees live. Windows are normalised separately with {@link #normalizeWindow(float[])}.
 *
 * <p>Feeding a signal whole or in chunks of any size gives bit-identical output, and {@link
 * #state()} / {@link #restore(double[])} carry the full state as one {@code double[]} (headed by
 * the config fingerprint) for Flink keyed state. Not thread-safe: one instance per lead.
 *
 * <pre>{@code
 * PreprocessingConfig cfg = PreprocessingConfig.defaults(360).withNotchHz(60);
 * Preprocessor pre = new Preprocessor(cfg);
 * float[] out = pre.process(chunkMv);              // any chunk size; out is at 250 Hz
 * float[] x = pre.normalizeWindow(window250Hz);  // what the model sees
 * }</pre>
 */
public final class Preprocessor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PreprocessingConfig config;
    /**
     * {@code config.fingerprint()}, taken once: it renders the whole config as text, and the Flink
     * job saves every lead's state after each window (in a JFR profile of ./ecg bench at 500
     * patients that text was a fifth of all bytes allocated). Transient and lazily set, so a
     * Java-serialized instance needs no field it did not have; 0 = not taken yet.
     */
    private transient int fingerprint;
    private final StreamingResampler resampler;
    private final StreamingFilter[] stages;
    private final Normalizer normalizer;
    private final int delay;
    /** State lengths are fixed by the design: resampler, then each stage. */
    private final int resamplerStateLen;
    private final int[] stageStateLen;
    private final int stateSize;

    private boolean seenFinite;
    private float lastFinite;

    public Preprocessor(PreprocessingConfig config) {
        this.config = config;
        this.resampler = new StreamingResampler(config.inputFs(), config.outputFs());
        double fs = config.outputFs();
        List<StreamingFilter> s = new ArrayList<>();
        if (config.baseline() == PreprocessingConfig.Baseline.MEDIAN) {
            s.add(new MedianBaselineFilter(fs));
        }
        if (config.bandLowHz() > 0 || config.bandHighHz() > 0) {
            if (config.bandHighHz() > 0) {
                s.add(FilterDesign.butterworthBandPass(PreprocessingConfig.HIGH_PASS_ORDER, config.bandLowHz(),
                        PreprocessingConfig.LOW_PASS_ORDER, config.bandHighHz(), fs));
            } else {
                s.add(FilterDesign.butterworthHighPass(PreprocessingConfig.HIGH_PASS_ORDER, config.bandLowHz(), fs));
            }
        }
        if (config.notchHz() > 0) {
            s.add(FilterDesign.notch(config.notchHz(), config.notchQ(), fs));
        }
        this.stages = s.toArray(new StreamingFilter[0]);
        this.normalizer = new Normalizer(config.normalization());
        int d = resampler.delaySamples();
        for (StreamingFilter f : stages) {
            d += f.delaySamples();
        }
        this.delay = d;
        this.resamplerStateLen = resampler.state().length;
        this.stageStateLen = new int[stages.length];
        int n = 3 + resamplerStateLen;
        for (int i = 0; i < stages.length; i++) {
            stageStateLen[i] = stages[i].state().length;
            n += stageStateLen[i];
        }
        this.stateSize = n;
    }

    public PreprocessingConfig config() {
        return config;
    }

    /**
     * Processes {@code len} input samples (mV at inputFs) and writes the outputs they complete (at
     * outputFs) to {@code out} from {@code outOff}; returns how many. {@code out} needs room for
     * {@link #maxOutput(int) maxOutput(len)} samples and must not overlap {@code in}.
     */
    public int process(float[] in, int off, int len, float[] out, int outOff) {
        int n = 0;
        for (int i = 0; i < len; i++) {
            float x = in[off + i];
            if (Float.isFinite(x)) {
                lastFinite = x;
                seenFinite = true;
            } else {
                x = seenFinite ? lastFinite : 0f;
            }
            n += resampler.push(x, out, outOff + n);
        }
        for (StreamingFilter f : stages) {
            f.process(out, outOff, n, out, outOff);
        }
        return n;
    }

    /** Processes one chunk; returns exactly the output samples it completes. */
    public float[] process(float[] chunk) {
        float[] out = new float[maxOutput(chunk.length)];
        int n = process(chunk, 0, chunk.length, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Upper bound on the outputs {@code inputLength} inputs can complete (size of {@code out}). */
    public int maxOutput(int inputLength) {
        return resampler.maxOutput(inputLength);
    }

    /** Exact number of outputs after {@code inputs} input samples since reset. */
    public long outputCount(long inputs) {
        return resampler.outputCount(inputs);
    }

    /**
     * Total delay in output samples: exact for the resampler and median stages, the rounded group
     * delay at {@value FilterDesign#REFERENCE_HZ} Hz for the IIR stages.
     */
    public int delaySamples() {
        return delay;
    }

    /**
     * The output index at which input sample {@code inputIndex} (e.g. an annotated R peak) appears:
     * {@code round(inputIndex * outputFs / inputFs) + delaySamples()}.
     */
    public long outputIndexOf(long inputIndex) {
        return Math.round((double) inputIndex * config.outputFs() / config.inputFs()) + delay;
    }

    /** Normalises one analysis window of this lead's output (a copy), as the model expects it. */
    public float[] normalizeWindow(float[] window) {
        return normalizer.normalizeWindow(window);
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    /** The filter stages after the resampler, in order (for logs and tests). */
    public List<StreamingFilter> stages() {
        return Collections.unmodifiableList(List.of(stages));
    }

    public StreamingResampler resampler() {
        return resampler;
    }

    /** Forgets all history, e.g. when a device reconnects after a gap. */
    public void reset() {
        seenFinite = false;
        lastFinite = 0f;
        resampler.reset();
        for (StreamingFilter f : stages) {
            f.reset();
        }
    }

    /** A fresh chain of the same design. */
    public Preprocessor copy() {
        return new Preprocessor(config);
    }

    /** Length of {@link #state()} for this design (the same for every lead with this config). */
    public int stateSize() {
        return stateSize;
    }

    private int fingerprint() {
        if (fingerprint == 0) {
            fingerprint = config.fingerprint();
        }
        return fingerprint;
    }

    /** Full state: config fingerprint, NaN-hold state, resampler, then each stage. */
    public double[] state() {
        double[] r = resampler.state();
        double[][] parts = new double[stages.length][];
        int n = 3 + r.length;
        for (int i = 0; i < stages.length; i++) {
            parts[i] = stages[i].state();
            n += parts[i].length;
        }
        double[] st = new double[n];
        st[0] = fingerprint();
        st[1] = seenFinite ? 1.0 : 0.0;
        st[2] = lastFinite;
        System.arraycopy(r, 0, st, 3, r.length);
        int o = 3 + r.length;
        for (double[] p : parts) {
            System.arraycopy(p, 0, st, o, p.length);
            o += p.length;
        }
        return st;
    }

    /**
     * Restores a {@link #state()} taken from a chain with an equal config.
     *
     * @throws IllegalArgumentException if the state was taken from a different design
     */
    public void restore(double[] state) {
        restore(state, 0, state.length);
    }

    void restore(double[] state, int off, int len) {
        if (len != stateSize() || state[off] != fingerprint()) {
            throw new IllegalArgumentException("state does not belong to preprocessing " + config.toMap());
        }
        seenFinite = state[off + 1] != 0.0;
        lastFinite = (float) state[off + 2];
        int o = off + 3;
        resampler.restore(Arrays.copyOfRange(state, o, o + resamplerStateLen));
        o += resamplerStateLen;
        for (int i = 0; i < stages.length; i++) {
            stages[i].restore(Arrays.copyOfRange(state, o, o + stageStateLen[i]));
            o += stageStateLen[i];
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("preprocessor [").append(resampler);
        for (StreamingFilter f : stages) {
            b.append("; ").append(f);
        }
        return b.append("; ").append(normalizer).append("; total delay ").append(delay).append(" samples]").toString();
    }
}
