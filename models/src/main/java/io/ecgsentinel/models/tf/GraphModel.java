package io.ecgsentinel.models.tf;

import static io.ecgsentinel.models.ModelSpec.ECG_CHANNELS;
import static io.ecgsentinel.models.ModelSpec.IN_ECG;
import static io.ecgsentinel.models.ModelSpec.IN_MASK;
import static io.ecgsentinel.models.ModelSpec.IN_RR;
import static io.ecgsentinel.models.ModelSpec.N_LEADS;
import static io.ecgsentinel.models.ModelSpec.OUT_ANOMALY;
import static io.ecgsentinel.models.ModelSpec.OUT_ATTENTION;
import static io.ecgsentinel.models.ModelSpec.OUT_SCORES;
import static io.ecgsentinel.models.ModelSpec.OUT_SUPERCLASS;
import static io.ecgsentinel.models.ModelSpec.RR_FEATURES;
import static io.ecgsentinel.models.ModelSpec.STEPS;
import static io.ecgsentinel.models.ModelSpec.WINDOW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains {@link EcgNetwork} in TensorFlow graph mode (org.tensorflow classes bundled by DJL's
 * tensorflow-api) and exports it as a SavedModel.
 *
 * <p>Loss: class-weighted softmax cross-entropy on the beat head + sigmoid cross-entropy on the AF
 * head and on the superclass head, each example weighted per head (weight 0 = no label), summed
 * and divided by the batch size, plus L2 on the weight matrices. Optimiser: Adam built from raw
 * {@code ApplyAdam} ops, gradients from {@code Graph.addGradients}. Everything random comes from
 * one seed and every update waits for every gradient of its step, so a run from one seed gives the
 * same weights bit for bit (GraphModelExportTest; until 2026-12-04 updates could run before other
 * variables' gradients had read the weights, and two runs differed after one step).
 *
 * <p>The exported graph is rebuilt from scratch with the trained weights as constants, so the
 * SavedModel contains only the inference ops (no optimiser state) and stays small.
 */
public final class GraphModel implements AutoCloseable {

    static {
        // DJL extracts and loads the TensorFlow natives; org.tensorflow.* needs them loaded first.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        ai.djl.engine.Engine.getEngine("TensorFlow");
    }

    public static final String SIGNATURE_KEY = "serving_default";
    public static final String TAG = "serve";

    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> ecg, mask, rr, beatY, beatW, afY, afW, supY, supW, lr, norm, drop;
    private final float dropRate;
    private final Random dropRnd;
    private final Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
    private final Operand<TFloat32> loss;
    private final List<Op> trainTargets = new ArrayList<>();
    private final Outputs outputs;

    /** Inference outputs of a graph. */
    public record Outputs(
            Operand<TFloat32> scores,
            Operand<TFloat32> superclass,
            Operand<TFloat32> anomaly,
            Operand<TFloat32> attention) {}

    /** Hyper-parameters of the loss. */
    public record LossConfig(float[] beatClassWeights, float afWeight, float superWeight, float l2, float featureDropout) {
        public LossConfig(float[] beatClassWeights, float afWeight, float superWeight, float l2) {
            this(beatClassWeights, afWeight, superWeight, l2, 0f);
        }
    }

    public GraphModel(long seed, LossConfig lc) {
        graph = new Graph();
        Ops tf = Ops.create(graph);
        ecg = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, WINDOW, ECG_CHANNELS)));
        mask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, N_LEADS)));
        rr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, RR_FEATURES)));
        beatY = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
        beatW = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        afY = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        afW = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        supY = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 5)));
        supW = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        norm = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        drop = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2L * EcgNetwork.HIDDEN)));
        dropRate = lc.featureDropout();
        dropRnd = new Random(seed ^ 0x5DEECE66DL);

        Random rnd = new Random(seed);
        List<Op> inits = new ArrayList<>();
        EcgNetwork.Heads heads = EcgNetwork.build(tf, (name, shape, isBias) -> {
            Variable<TFloat32> v = tf.variable(Shape.of(shape), TFloat32.class);
            inits.add(tf.assign(v, tf.constant(Shape.of(shape), DataBuffers.of(initValues(name, shape, isBias, rnd)))));
            vars.put(name, v);
            return v;
        }, ecg, mask, rr, drop);
        outputs = outputs(tf, heads, false);

        // Losses, written by hand (dynamic batch size).
        Operand<TFloat32> ceBeat = tf.nn.softmaxCrossEntropyWithLogits(heads.beatLogits(), beatY).loss();
        Operand<TFloat32> lBeat = tf.sum(tf.math.mul(ceBeat, beatW), tf.constant(0));
        Operand<TFloat32> lAf = tf.sum(tf.math.mul(sigmoidCe(tf, heads.afLogit(), afY), afW), tf.constant(0));
        Operand<TFloat32> ceSup = tf.sum(sigmoidCe(tf, heads.superLogits(), supY), tf.constant(1));
        Operand<TFloat32> lSup = tf.sum(tf.math.mul(ceSup, supW), tf.constant(0));
        Operand<TFloat32> data = tf.math.div(
                tf.math.add(tf.math.add(lBeat, tf.math.mul(tf.constant(lc.afWeight()), lAf)),
                        tf.math.mul(tf.constant(lc.superWeight()), lSup)), norm);
        List<Operand<TFloat32>> l2 = new ArrayList<>();
        for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
            if (!e.getKey().endsWith("_b")) {
                // through Identity: Square directly on a ref-typed VariableV2 crashes addGradients (SIGSEGV)
                l2.add(tf.sum(tf.math.square(tf.identity(e.getValue())), allAxes(tf, e.getValue().shape().numDimensions())));
            }
        }
        loss = tf.math.add(data, tf.math.mul(tf.constant(lc.l2()), tf.math.addN(l2)));

        // Adam from raw ApplyAdam ops.
        List<Variable<TFloat32>> vlist = new ArrayList<>(vars.values());
        Gradients grads = tf.gradients(loss, vlist);
        Variable<TFloat32> b1p = tf.variable(Shape.scalar(), TFloat32.class);
        Variable<TFloat32> b2p = tf.variable(Shape.scalar(), TFloat32.class);
        float beta1 = 0.9f, beta2 = 0.999f;
        inits.add(tf.assign(b1p, tf.constant(beta1)));
        inits.add(tf.assign(b2p, tf.constant(beta2)));
        // Every gradient before any update: the variables are read by reference, so an ApplyAdam that
        // ran before another variable's gradient was done changed the weights that gradient used, and
        // the result depended on the order the executor happened to pick (two runs from one seed
        // differed after a single step; GraphModelExportTest).
        List<Op> gradOps = new ArrayList<>();
        for (int i = 0; i < vlist.size(); i++) gradOps.add(tf.identity(grads.dy(i)));
        Ops update = tf.withControlDependencies(gradOps);
        List<Op> applies = new ArrayList<>();
        for (int i = 0; i < vlist.size(); i++) {
            Variable<TFloat32> v = vlist.get(i);
            Shape s = v.shape();
            Variable<TFloat32> m = tf.variable(s, TFloat32.class);
            Variable<TFloat32> vv = tf.variable(s, TFloat32.class);
            inits.add(tf.assign(m, tf.zeros(tf.constant(s.asArray()), TFloat32.class)));
            inits.add(tf.assign(vv, tf.zeros(tf.constant(s.asArray()), TFloat32.class)));
            Operand<TFloat32> g = grads.dy(i);
            applies.add(update.train.applyAdam(v, m, vv, b1p, b2p, lr, tf.constant(beta1), tf.constant(beta2),
                    tf.constant(1e-7f), g));
        }
        Ops after = tf.withControlDependencies(applies);
        trainTargets.add(after.assign(b1p, after.math.mul(b1p, after.constant(beta1))));
        trainTargets.add(after.assign(b2p, after.math.mul(b2p, after.constant(beta2))));

        session = new Session(graph);
        Session.Runner r = session.runner();
        inits.forEach(r::addTarget);
        r.run().close();
    }

    private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) a[i] = i;
        return tf.constant(a);
    }

    /** Numerically stable sigmoid cross-entropy: max(x,0) - x z + log(1 + exp(-|x|)). */
    static Operand<TFloat32> sigmoidCe(Ops tf, Operand<TFloat32> x, Operand<TFloat32> z) {
        return tf.math.add(tf.math.sub(tf.nn.relu(x), tf.math.mul(x, z)),
                tf.math.softplus(tf.math.neg(tf.math.abs(x))));
    }

    /** Glorot-uniform weights, zero biases (except the AF/superclass heads' biases, also zero). */
    static float[] initValues(String name, long[] shape, boolean isBias, Random rnd) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        if (isBias) {
            return v;
        }
        long fanIn, fanOut;
        if (shape.length == 4) { // conv [k, 1, cin, cout]
            fanIn = shape[0] * shape[2];
            fanOut = shape[0] * shape[3];
        } else {
            fanIn = shape[0];
            fanOut = shape[1];
        }
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        }
        return v;
    }

    /** The named inference outputs built from the heads. */
    static Outputs outputs(Ops tf, EcgNetwork.Heads h, boolean named) {
        Operand<TFloat32> beatProbs = tf.nn.softmax(h.beatLogits()); // [B,4]
        Operand<TFloat32> af = tf.math.sigmoid(h.afLogit()); // [B]
        Operand<TFloat32> sup = tf.math.sigmoid(h.superLogits()); // [B,5]
        Operand<TFloat32> one = tf.constant(1f);
        // abnormal morphology = 1 - P(NORM)
        Operand<TFloat32> norm = tf.reshape(
                tf.slice(sup, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1})), tf.constant(new long[] {-1}));
        Operand<TFloat32> abn = tf.math.sub(one, norm);
        Operand<TFloat32> pN = tf.reshape(
                tf.slice(beatProbs, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1})), tf.constant(new long[] {-1}));
        Operand<TFloat32> scores = tf.concat(List.of(beatProbs,
                tf.expandDims(af, tf.constant(1)), tf.expandDims(abn, tf.constant(1))), tf.constant(1));
        // anomaly = 1 - P(normal beat) * P(no AF) * P(normal morphology)
        Operand<TFloat32> anomaly = tf.math.sub(one,
                tf.math.mul(tf.math.mul(pN, tf.math.sub(one, af)), norm));
        if (named) {
            return new Outputs(
                    tf.withName(OUT_SCORES).identity(scores),
                    tf.withName(OUT_SUPERCLASS).identity(sup),
                    tf.withName(OUT_ANOMALY).identity(anomaly),
                    tf.withName(OUT_ATTENTION).identity(h.attention()));
        }
        return new Outputs(scores, sup, anomaly, h.attention());
    }

    private static TFloat32 tensor(float[] a, int n, long... dims) {
        long[] shape = new long[dims.length + 1];
        shape[0] = n;
        System.arraycopy(dims, 0, shape, 1, dims.length);
        int len = n;
        for (long d : dims) len *= (int) d;
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(a, true, false).narrow(len));
    }

    /** One optimiser step on {@code b}; returns the loss before the step. */
    public float step(Batch b, float learningRate) {
        int n = b.size;
        List<Tensor> ts = new ArrayList<>();
        try {
            Session.Runner r = session.runner();
            r.feed(ecg, track(ts, tensor(b.ecg, n, WINDOW, ECG_CHANNELS)));
            r.feed(mask, track(ts, tensor(b.mask, n, N_LEADS)));
            r.feed(rr, track(ts, tensor(b.rr, n, RR_FEATURES)));
            r.feed(beatY, track(ts, tensor(b.beatY, n, 4)));
            r.feed(beatW, track(ts, tensor(b.beatW, n)));
            r.feed(afY, track(ts, tensor(b.afY, n)));
            r.feed(afW, track(ts, tensor(b.afW, n)));
            r.feed(supY, track(ts, tensor(b.supY, n, 5)));
            r.feed(supW, track(ts, tensor(b.supW, n)));
            r.feed(lr, track(ts, TFloat32.scalarOf(learningRate)));
            r.feed(norm, track(ts, TFloat32.scalarOf(n)));
            float[] dm = new float[n * 2 * EcgNetwork.HIDDEN];
            for (int i = 0; i < dm.length; i++) {
                dm[i] = dropRate > 0 && dropRnd.nextFloat() < dropRate ? 0f : 1f / (1f - dropRate);
            }
            r.feed(drop, track(ts, tensor(dm, n, 2L * EcgNetwork.HIDDEN)));
            trainTargets.forEach(r::addTarget);
            r.fetch(loss);
            try (Result res = r.run()) {
                return ((TFloat32) res.get(0)).getFloat();
            }
        } finally {
            ts.forEach(Tensor::close);
        }
    }

    private static TFloat32 ones(int n, int d) {
        float[] a = new float[n * d];
        java.util.Arrays.fill(a, 1f);
        return tensor(a, n, d);
    }

    private static <T extends Tensor> T track(List<Tensor> l, T t) {
        l.add(t);
        return t;
    }

    /** Predicted scores [n,6], superclass probabilities [n,5], anomaly [n] for the first b.size rows. */
    public Prediction predict(io.ecgsentinel.models.input.BeatWindows b) {
        int n = b.size;
        try (TFloat32 te = tensor(b.ecg, n, WINDOW, ECG_CHANNELS);
                TFloat32 tm = tensor(b.mask, n, N_LEADS);
                TFloat32 tr = tensor(b.rr, n, RR_FEATURES);
                TFloat32 td = ones(n, 2 * EcgNetwork.HIDDEN);
                Result res = session.runner().feed(ecg, te).feed(mask, tm).feed(rr, tr).feed(drop, td)
                        .fetch(outputs.scores()).fetch(outputs.superclass()).fetch(outputs.anomaly())
                        .fetch(outputs.attention()).run()) {
            Prediction p = new Prediction(n);
            ((TFloat32) res.get(0)).read(DataBuffers.of(p.scores, false, false));
            ((TFloat32) res.get(1)).read(DataBuffers.of(p.superclass, false, false));
            ((TFloat32) res.get(2)).read(DataBuffers.of(p.anomaly, false, false));
            ((TFloat32) res.get(3)).read(DataBuffers.of(p.attention, false, false));
            return p;
        }
    }

    /** Flat outputs of a prediction: scores [n,6], superclass [n,5], anomaly [n], attention [n,STEPS]. */
    public static final class Prediction {
        public final int n;
        public final float[] scores;
        public final float[] superclass;
        public final float[] anomaly;
        public final float[] attention;

        public Prediction(int n) {
            this.n = n;
            scores = new float[n * 6];
            superclass = new float[n * 5];
            anomaly = new float[n];
            attention = new float[n * STEPS];
        }
    }

    /** Current values of every parameter. */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        Session.Runner r = session.runner();
        vars.values().forEach(r::fetch);
        try (Result res = r.run()) {
            int i = 0;
            for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
                TFloat32 t = (TFloat32) res.get(i++);
                float[] a = new float[(int) t.shape().size()];
                t.read(DataBuffers.of(a, false, false));
                out.put(e.getKey(), a);
            }
        }
        return out;
    }

    /** Sets every parameter (e.g. to restore the best epoch's weights). */
    public void setWeights(Map<String, float[]> w) {
        List<Tensor> ts = new ArrayList<>();
        try {
            Graph g = graph;
            Ops tf = Ops.create(g);
            Session.Runner r = session.runner();
            for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
                Shape s = e.getValue().shape();
                // a fresh assign per call keeps this simple; called once per improved epoch at most
                Placeholder<TFloat32> ph = tf.placeholder(TFloat32.class, Placeholder.shape(s));
                Op a = tf.assign(e.getValue(), ph);
                r.feed(ph, track(ts, TFloat32.tensorOf(s, DataBuffers.of(w.get(e.getKey()), true, false))));
                r.addTarget(a);
            }
            r.run().close();
        } finally {
            ts.forEach(Tensor::close);
        }
    }

    /**
     * Writes a SavedModel (tag {@value #TAG}, signature {@value #SIGNATURE_KEY}) whose graph holds
     * only the inference network with {@code weights} as constants.
     */
    public static void export(Map<String, float[]> weights, Path dir) throws IOException {
        export(List.of(weights), dir);
    }

    /**
     * Writes a SavedModel of one network, or of an ensemble: several networks of the same shape
     * (members trained from different seeds) fed the same inputs, whose outputs (scores, superclass
     * probabilities, anomaly score, attention) are the means of the members' outputs. A single
     * network's constants are named {@code w_<parameter>}; member k's are {@code m<k>/w_<parameter>}
     * ({@link #readWeights} reads both back).
     */
    public static void export(List<Map<String, float[]>> members, Path dir) throws IOException {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no network to export");
        }
        if (Files.exists(dir.resolve("saved_model.pb"))) {
            throw new IOException("refusing to overwrite an existing SavedModel in " + dir);
        }
        Files.createDirectories(dir.getParent() == null ? dir.toAbsolutePath().getParent() : dir.getParent());
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> e = tf.withName(IN_ECG).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, WINDOW, ECG_CHANNELS)));
            Placeholder<TFloat32> m = tf.withName(IN_MASK).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, N_LEADS)));
            Placeholder<TFloat32> r = tf.withName(IN_RR).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, RR_FEATURES)));
            List<Outputs> outs = new ArrayList<>();
            for (int k = 0; k < members.size(); k++) {
                Map<String, float[]> weights = members.get(k);
                Ops mt = members.size() == 1 ? tf : tf.withSubScope(memberScope(k));
                EcgNetwork.Heads h = EcgNetwork.build(mt, (name, shape, isBias) -> {
                    float[] v = weights.get(name);
                    if (v == null) {
                        throw new IllegalArgumentException("no trained value for parameter " + name);
                    }
                    return mt.withName(CONST_PREFIX + name).constant(Shape.of(shape), DataBuffers.of(v, true, false));
                }, e, m, r);
                outs.add(outputs(mt, h, members.size() == 1));
            }
            Outputs o = outs.size() == 1 ? outs.get(0) : new Outputs(
                    tf.withName(OUT_SCORES).identity(mean(tf, outs.stream().map(Outputs::scores).toList())),
                    tf.withName(OUT_SUPERCLASS).identity(mean(tf, outs.stream().map(Outputs::superclass).toList())),
                    tf.withName(OUT_ANOMALY).identity(mean(tf, outs.stream().map(Outputs::anomaly).toList())),
                    tf.withName(OUT_ATTENTION).identity(mean(tf, outs.stream().map(Outputs::attention).toList())));
            Signature sig = Signature.builder().key(SIGNATURE_KEY)
                    .input(IN_ECG, e).input(IN_MASK, m).input(IN_RR, r)
                    .output(OUT_SCORES, o.scores()).output(OUT_SUPERCLASS, o.superclass())
                    .output(OUT_ANOMALY, o.anomaly()).output(OUT_ATTENTION, o.attention())
                    .build();
            try (Session s = new Session(g)) {
                SavedModelBundle.exporter(dir.toString()).withTags(TAG).withSession(s).withSignature(sig).export();
            }
        }
    }

    private static final String CONST_PREFIX = "w_";

    private static String memberScope(int k) {
        return "m" + k;
    }

    private static Operand<TFloat32> mean(Ops tf, List<Operand<TFloat32>> xs) {
        return tf.math.mul(tf.math.addN(xs), tf.constant(1f / xs.size()));
    }

    /**
     * The trained values of every network in a SavedModel written by {@link #export}: one map for a
     * single network, one per member for an ensemble, in member order.
     *
     * @throws IOException if the directory holds no SavedModel or a parameter is missing
     */
    public static List<Map<String, float[]>> readWeights(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new IOException("no SavedModel in " + dir);
        }
        List<Map<String, float[]>> members = new ArrayList<>();
        try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), TAG)) {
            Graph g = b.graph();
            String first = EcgNetwork.parameterShapes().keySet().iterator().next();
            List<String> prefixes = new ArrayList<>();
            if (g.operation(CONST_PREFIX + first) != null) {
                prefixes.add("");
            } else {
                for (int k = 0; g.operation(memberScope(k) + "/" + CONST_PREFIX + first) != null; k++) {
                    prefixes.add(memberScope(k) + "/");
                }
            }
            if (prefixes.isEmpty()) {
                throw new IOException("the SavedModel in " + dir + " has no parameter constant " + CONST_PREFIX + first
                        + ": not written by GraphModel.export");
            }
            for (String prefix : prefixes) {
                Map<String, float[]> w = new LinkedHashMap<>();
                for (String name : EcgNetwork.parameterShapes().keySet()) {
                    String op = prefix + CONST_PREFIX + name;
                    if (g.operation(op) == null) {
                        throw new IOException("the SavedModel in " + dir + " has no constant " + op);
                    }
                    try (Result res = b.session().runner().fetch(op).run()) {
                        TFloat32 t = (TFloat32) res.get(0);
                        float[] a = new float[(int) t.shape().size()];
                        t.read(DataBuffers.of(a, false, false));
                        w.put(name, a);
                    }
                }
                members.add(w);
            }
        }
        return members;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
