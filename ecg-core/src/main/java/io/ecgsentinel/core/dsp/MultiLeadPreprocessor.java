package io.ecgsentinel.core.dsp;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One {@link Preprocessor} per lead behind a {@code float[lead][sample]} API: what the Flink job
 * keeps per patient and what training runs over a whole record.
 *
 * <p>All leads share the config and therefore the output timing, so a chunk of n samples on every
 * lead yields the same number of outputs on every lead. State is the leads' states concatenated
 * (every lead's has the same length), one flat {@code double[]} for a Flink {@code
 * ValueState<double[]>}.
 *
 * <pre>{@code
 * PreprocessingConfig cfg = PreprocessingConfig.fromMap(card.preprocessing()).withInputFs(frame.fs());
 * MultiLeadPreprocessor pre = new MultiLeadPreprocessor(cfg, 12);
 * float[][] out = pre.process(frameSamples);          // [12][~n * 250 / fs]
 * float[][] x = pre.normalizeWindow(window);          // [12][2500] for a 10 s window
 * }</pre>
 */
public final class MultiLeadPreprocessor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PreprocessingConfig config;
    private final Preprocessor[] leads;

    public MultiLeadPreprocessor(PreprocessingConfig config, int leadCount) {
        if (leadCount < 1) {
            throw new IllegalArgumentException("need at least one lead, got " + leadCount);
        }
        this.config = config;
        this.leads = new Preprocessor[leadCount];
        Preprocessor first = new Preprocessor(config);
        leads[0] = first;
        for (int i = 1; i < leadCount; i++) {
            leads[i] = first.copy();
        }
    }

    public PreprocessingConfig config() {
        return config;
    }

    public int leadCount() {
        return leads.length;
    }

    /** The chain of one lead. */
    public Preprocessor lead(int i) {
        return leads[i];
    }

    /**
     * Processes {@code len} samples from {@code off} of every lead of {@code in} into {@code out}
     * (each {@code out[l]} with room for {@link #maxOutput(int)} from {@code outOff}); returns the
     * number of outputs per lead.
     */
    public int process(float[][] in, int off, int len, float[][] out, int outOff) {
        checkLeads(in.length);
        checkLeads(out.length);
        int n = -1;
        for (int l = 0; l < leads.length; l++) {
            int k = leads[l].process(in[l], off, len, out[l], outOff);
            // Same config and same input count keep every lead on the same output clock.
            if (n >= 0 && k != n) {
                throw new IllegalStateException("lead " + l + " produced " + k + " samples, lead 0 " + n);
            }
            n = k;
        }
        return n;
    }

    /** Processes one chunk {@code [lead][sample]} (all leads the same length) into new arrays. */
    public float[][] process(float[][] chunk) {
        checkLeads(chunk.length);
        int len = chunk[0].length;
        float[][] out = new float[leads.length][maxOutput(len)];
        for (int l = 0; l < leads.length; l++) {
            if (chunk[l].length != len) {
                throw new IllegalArgumentException("lead " + l + " has " + chunk[l].length + " samples, lead 0 " + len);
            }
        }
        int n = process(chunk, 0, len, out, 0);
        if (n != out[0].length) {
            for (int l = 0; l < out.length; l++) {
                out[l] = Arrays.copyOf(out[l], n);
            }
        }
        return out;
    }

    public int maxOutput(int inputLength) {
        return leads[0].maxOutput(inputLength);
    }

    /** Total delay in output samples (see {@link Preprocessor#delaySamples()}). */
    public int delaySamples() {
        return leads[0].delaySamples();
    }

    /** See {@link Preprocessor#outputIndexOf(long)}. */
    public long outputIndexOf(long inputIndex) {
        return leads[0].outputIndexOf(inputIndex);
    }

    /** Normalises each lead of a {@code [lead][sample]} window (a copy). */
    public float[][] normalizeWindow(float[][] window) {
        return leads[0].normalizer().normalizeWindow(window);
    }

    public void reset() {
        for (Preprocessor p : leads) {
            p.reset();
        }
    }

    /** A fresh multi-lead chain of the same design and lead count. */
    public MultiLeadPreprocessor copy() {
        return new MultiLeadPreprocessor(config, leads.length);
    }

    public int stateSize() {
        return leads.length * leads[0].stateSize();
    }

    /** The leads' states, concatenated in lead order. */
    public double[] state() {
        int per = leads[0].stateSize();
        double[] st = new double[per * leads.length];
        for (int l = 0; l < leads.length; l++) {
            System.arraycopy(leads[l].state(), 0, st, l * per, per);
        }
        return st;
    }

    /**
     * Restores a {@link #state()} of a multi-lead chain with an equal config and lead count.
     *
     * @throws IllegalArgumentException if it was taken from a different design or lead count
     */
    public void restore(double[] state) {
        int per = leads[0].stateSize();
        if (state.length != per * leads.length) {
            throw new IllegalArgumentException("state of " + state.length + " values does not fit " + leads.length
                    + " leads of " + per);
        }
        for (int l = 0; l < leads.length; l++) {
            leads[l].restore(state, l * per, per);
        }
    }

    private void checkLeads(int n) {
        if (n != leads.length) {
            throw new IllegalArgumentException("expected " + leads.length + " leads, got " + n);
        }
    }
}
