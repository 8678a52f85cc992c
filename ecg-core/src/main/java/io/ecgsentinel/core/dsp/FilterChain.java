package io.ecgsentinel.core.dsp;

import java.util.Arrays;
import java.util.List;

/**
 * Several {@link StreamingFilter}s run one after another on each chunk, itself a {@link
 * StreamingFilter}: for callers that need a custom same-rate chain (a QRS detector's own band-pass,
 * for example) with the same chunk invariance, delay accounting and flat state as the stages it is
 * made of. Its delay is the sum of the stages' delays; its state is theirs, concatenated.
 */
public final class FilterChain implements StreamingFilter {

    private static final long serialVersionUID = 1L;

    private final StreamingFilter[] stages;
    private final int[] stateLen;

    public FilterChain(List<? extends StreamingFilter> stages) {
        this.stages = stages.toArray(new StreamingFilter[0]);
        this.stateLen = new int[this.stages.length];
        for (int i = 0; i < this.stages.length; i++) {
            stateLen[i] = this.stages[i].state().length;
        }
    }

    public FilterChain(StreamingFilter... stages) {
        this(Arrays.asList(stages));
    }

    @Override
    public void process(float[] in, int off, int len, float[] out, int outOff) {
        if (stages.length == 0) {
            if (in != out || off != outOff) {
                System.arraycopy(in, off, out, outOff, len);
            }
            return;
        }
        // The first stage reads the input; later ones work in place on the output.
        stages[0].process(in, off, len, out, outOff);
        for (int i = 1; i < stages.length; i++) {
            stages[i].process(out, outOff, len, out, outOff);
        }
    }

    @Override
    public void reset() {
        for (StreamingFilter f : stages) {
            f.reset();
        }
    }

    @Override
    public FilterChain copy() {
        StreamingFilter[] c = new StreamingFilter[stages.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = stages[i].copy();
        }
        return new FilterChain(c);
    }

    @Override
    public int delaySamples() {
        int d = 0;
        for (StreamingFilter f : stages) {
            d += f.delaySamples();
        }
        return d;
    }

    @Override
    public double[] state() {
        int n = 0;
        for (int l : stateLen) {
            n += l;
        }
        double[] st = new double[n];
        int o = 0;
        for (int i = 0; i < stages.length; i++) {
            System.arraycopy(stages[i].state(), 0, st, o, stateLen[i]);
            o += stateLen[i];
        }
        return st;
    }

    @Override
    public void restore(double[] state) {
        int n = 0;
        for (int l : stateLen) {
            n += l;
        }
        if (state.length != n) {
            throw new IllegalArgumentException(
                    "state length " + state.length + " does not fit this chain (needs " + n + ")");
        }
        int o = 0;
        for (int i = 0; i < stages.length; i++) {
            stages[i].restore(Arrays.copyOfRange(state, o, o + stateLen[i]));
            o += stateLen[i];
        }
    }

    /** The stages in order. */
    public List<StreamingFilter> stages() {
        return List.of(stages);
    }

    @Override
    public String toString() {
        return "chain " + Arrays.toString(stages);
    }
}
