package io.ecgsentinel.models.tf;

import static io.ecgsentinel.models.ModelSpec.N_LEADS;
import static io.ecgsentinel.models.ModelSpec.RR_FEATURES;
import static io.ecgsentinel.models.ModelSpec.STEPS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;

/**
 * The network, written once against TensorFlow's graph API and built twice: with trainable
 * variables for training, and with the trained values as constants for export.
 *
 * <p>Shape: ecg [B, 250, 24] -> three 1-D convolutions (kernels 7/5/5, stride 2, ReLU; 16/32/32
 * channels) -> [B, 32, 32] -> an LSTM with hidden size {@value #HIDDEN}, unrolled over the 32
 * steps (TensorFlow's while loop has no usable gradient here) -> additive attention pooling over
 * the 32 hidden states (its weights are an output) -> concat(pooled, last hidden state, RR
 * features, lead mask) -> dense 48 ReLU -> three heads: beat class logits (N/S/V/F, softmax), AF
 * logit (sigmoid), diagnostic superclass logits (NORM/MI/STTC/CD/HYP, sigmoids).
 */
public final class EcgNetwork {

    public static final int HIDDEN = 32;
    public static final int ATT = 16;
    public static final int DENSE = 48;
    static final int[] CONV_K = {7, 5, 5};
    static final int[] CONV_C = {16, 32, 32};

    private EcgNetwork() {}

    /** Supplies a parameter tensor of a given shape (a variable when training, a constant when exporting). */
    public interface ParamSource {
        Operand<TFloat32> get(String name, long[] shape, boolean isBias);
    }

    /** Logits and intermediate outputs of one forward pass. */
    public record Heads(
            Operand<TFloat32> beatLogits,
            Operand<TFloat32> afLogit,
            Operand<TFloat32> superLogits,
            Operand<TFloat32> attention) {}

    /** Every parameter with its shape, in a fixed order (used by initialisation and export). */
    public static Map<String, long[]> parameterShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        long cin = io.ecgsentinel.models.ModelSpec.ECG_CHANNELS;
        for (int i = 0; i < CONV_K.length; i++) {
            m.put("conv" + i + "_w", new long[] {CONV_K[i], 1, cin, CONV_C[i]});
            m.put("conv" + i + "_b", new long[] {CONV_C[i]});
            cin = CONV_C[i];
        }
        m.put("lstm_wx", new long[] {cin, 4L * HIDDEN});
        m.put("lstm_wh", new long[] {HIDDEN, 4L * HIDDEN});
        m.put("lstm_b", new long[] {4L * HIDDEN});
        m.put("att_w", new long[] {HIDDEN, ATT});
        m.put("att_b", new long[] {ATT});
        m.put("att_v", new long[] {ATT, 1});
        long feat = 2L * HIDDEN + RR_FEATURES + N_LEADS;
        m.put("dense_w", new long[] {feat, DENSE});
        m.put("dense_b", new long[] {DENSE});
        m.put("beat_w", new long[] {DENSE, 4});
        m.put("beat_b", new long[] {4});
        m.put("af_w", new long[] {DENSE, 1});
        m.put("af_b", new long[] {1});
        m.put("super_w", new long[] {DENSE, 5});
        m.put("super_b", new long[] {5});
        return m;
    }

    /** Builds the forward pass. */
    public static Heads build(
            Ops tf, ParamSource p, Operand<TFloat32> ecg, Operand<TFloat32> mask, Operand<TFloat32> rr) {
        return build(tf, p, ecg, mask, rr, null);
    }

    /**
     * Builds the forward pass; {@code featureDrop} (training only, null otherwise) multiplies the
     * 2 x {@value #HIDDEN} recurrent features (inverted dropout), so the heads cannot lean on
     * patient-specific morphology alone and must also use the RR features.
     */
    public static Heads build(Ops tf, ParamSource p, Operand<TFloat32> ecg, Operand<TFloat32> mask,
            Operand<TFloat32> rr, Operand<TFloat32> featureDrop) {
        Map<String, long[]> shapes = parameterShapes();
        Map<String, Operand<TFloat32>> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            w.put(e.getKey(), p.get(e.getKey(), e.getValue(), e.getKey().endsWith("_b")));
        }
        // [B, T, 12] -> [B, T, 1, 12]: a 1-D convolution as Conv2D with width 1.
        Operand<TFloat32> x = tf.expandDims(ecg, tf.constant(2));
        for (int i = 0; i < CONV_K.length; i++) {
            x = tf.nn.conv2d(x, w.get("conv" + i + "_w"), Arrays.asList(1L, 2L, 1L, 1L), "SAME");
            x = tf.nn.relu(tf.nn.biasAdd(x, w.get("conv" + i + "_b")));
        }
        int c = CONV_C[CONV_C.length - 1];
        // Input projection of all steps at once: [B*S, C] x [C, 4H] -> [B, S, 4H].
        Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, c}));
        Operand<TFloat32> proj = tf.reshape(
                tf.linalg.matMul(flat, w.get("lstm_wx")), tf.constant(new long[] {-1, STEPS, 4L * HIDDEN}));
        List<Operand<TFloat32>> xs = new ArrayList<>();
        for (Operand<TFloat32> o : tf.unstack(proj, (long) STEPS, Unstack.axis(1L)).output()) {
            xs.add(o);
        }
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> h = null;
        Operand<TFloat32> cell = null;
        List<Operand<TFloat32>> hs = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            Operand<TFloat32> z = tf.math.add(xs.get(t), w.get("lstm_b"));
            if (h != null) {
                z = tf.math.add(z, tf.linalg.matMul(h, w.get("lstm_wh")));
            }
            List<Operand<TFloat32>> g = new ArrayList<>();
            tf.split(tf.constant(1), z, 4L).forEach(g::add);
            Operand<TFloat32> i = tf.math.sigmoid(g.get(0));
            Operand<TFloat32> f = tf.math.sigmoid(tf.math.add(g.get(1), one)); // forget bias 1
            Operand<TFloat32> u = tf.math.tanh(g.get(2));
            Operand<TFloat32> o = tf.math.sigmoid(g.get(3));
            Operand<TFloat32> iu = tf.math.mul(i, u);
            cell = cell == null ? iu : tf.math.add(tf.math.mul(f, cell), iu);
            h = tf.math.mul(o, tf.math.tanh(cell));
            hs.add(h);
        }
        // Additive attention over time: e_t = v . tanh(W h_t + b); a = softmax(e).
        Operand<TFloat32> hStack = tf.stack(hs, org.tensorflow.op.core.Stack.axis(1L)); // [B,S,H]
        Operand<TFloat32> hFlat = tf.reshape(hStack, tf.constant(new long[] {-1, HIDDEN}));
        Operand<TFloat32> e = tf.math.tanh(tf.nn.biasAdd(tf.linalg.matMul(hFlat, w.get("att_w")), w.get("att_b")));
        Operand<TFloat32> scores = tf.reshape(tf.linalg.matMul(e, w.get("att_v")), tf.constant(new long[] {-1, STEPS}));
        Operand<TFloat32> att = tf.nn.softmax(scores);
        Operand<TFloat32> pooled = tf.sum(tf.math.mul(tf.expandDims(att, tf.constant(2)), hStack), tf.constant(1));
        Operand<TFloat32> rec = tf.concat(List.of(pooled, h), tf.constant(1));
        if (featureDrop != null) {
            rec = tf.math.mul(rec, featureDrop);
        }
        List<Operand<TFloat32>> parts = List.of(rec, rr, mask);
        Operand<TFloat32> feat = tf.concat(parts, tf.constant(1));
        Operand<TFloat32> d = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(feat, w.get("dense_w")), w.get("dense_b")));
        Operand<TFloat32> beat = tf.nn.biasAdd(tf.linalg.matMul(d, w.get("beat_w")), w.get("beat_b"));
        Operand<TFloat32> af = tf.reshape(
                tf.nn.biasAdd(tf.linalg.matMul(d, w.get("af_w")), w.get("af_b")), tf.constant(new long[] {-1}));
        Operand<TFloat32> sup = tf.nn.biasAdd(tf.linalg.matMul(d, w.get("super_w")), w.get("super_b"));
        return new Heads(beat, af, sup, att);
    }
}
