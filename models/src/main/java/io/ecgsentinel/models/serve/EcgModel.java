package io.ecgsentinel.models.serve;

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

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.input.BeatWindows;
import io.ecgsentinel.models.tf.GraphModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beat model served with DJL's TensorFlow engine, offline (natives from Maven Central; see
 * {@code native/lib/tensorflow.properties} on the class path).
 *
 * <p>Threading: an {@code EcgModel} may be shared by threads, but a {@link Scorer} (which wraps a
 * DJL {@link Predictor}) is not thread-safe: create one per thread / Flink subtask in {@code open}
 * and close it in {@code close}. Batching: {@link Scorer#score} takes any number of windows and runs
 * them through the network {@link #maxBatch()} at a time; batch windows of many patients together.
 */
public final class EcgModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EcgModel.class);
    public static final int DEFAULT_MAX_BATCH = 256;

    private final Path dir;
    private final ZooModel<NDList, NDList> model;
    private final int maxBatch;

    private EcgModel(Path dir, ZooModel<NDList, NDList> model, int maxBatch) {
        this.dir = dir;
        this.model = model;
        this.maxBatch = maxBatch;
    }

    /** Loads the default model ({@link DefaultModel#path()}). */
    public static EcgModel loadDefault() {
        return load(DefaultModel.path());
    }

    public static EcgModel load(Path dir) {
        return load(dir, DEFAULT_MAX_BATCH);
    }

    /**
     * Loads a SavedModel directory written by {@code ecg train} and warms it up.
     *
     * @throws EcgModelException naming the path and what is missing when the directory is not a
     *     model directory, or when the engine cannot load it
     */
    public static EcgModel load(Path dir, int maxBatch) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new EcgModelException("model directory " + abs + " does not exist (expected a SavedModel"
                    + " directory such as models/ecg-lstm/1 with saved_model.pb and model-card.json;"
                    + " set --model or -Decg.model.dir)");
        }
        if (!Files.isRegularFile(abs.resolve("saved_model.pb"))) {
            throw new EcgModelException("model directory " + abs + " has no saved_model.pb: it is not a"
                    + " TensorFlow SavedModel (was it written by 'ecg train'?)");
        }
        checkTemplate(abs);
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        Engine.getEngine("TensorFlow");
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(abs)
                .optEngine("TensorFlow")
                .optOption("Tags", GraphModel.TAG)
                .optOption("SignatureDefKey", GraphModel.SIGNATURE_KEY)
                .build();
        try {
            ZooModel<NDList, NDList> m = criteria.loadModel();
            EcgModel em = new EcgModel(abs, m, maxBatch);
            em.warmUp();
            LOG.info("loaded ECG model from {}", abs);
            return em;
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new EcgModelException("cannot load the SavedModel in " + abs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a model whose card says it was trained with another beat template than the one {@link
     * BeatWindowExtractor} cuts (a directory without a card, such as a test's, is not checked).
     */
    @SuppressWarnings("unchecked")
    private static void checkTemplate(Path dir) {
        Path card = dir.resolve("model-card.json");
        if (!Files.isRegularFile(card)) {
            return;
        }
        Map<String, Object> c;
        try {
            c = new ObjectMapper().readValue(card.toFile(), Map.class);
        } catch (IOException e) {
            throw new EcgModelException("cannot read the model card " + card + ": " + e.getMessage(), e);
        }
        String problem = BeatWindowExtractor.checkCard(c.get("input"));
        if (problem != null) {
            throw new EcgModelException("model " + dir + ": " + problem);
        }
    }

    private void warmUp() {
        try (Scorer s = newScorer()) {
            BeatWindows w = new BeatWindows(8);
            w.size = 8;
            s.score(w);
        }
    }

    public Path directory() {
        return dir;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** A new scorer; one per thread. */
    public Scorer newScorer() {
        return new Scorer(model.newPredictor(), maxBatch);
    }

    @Override
    public void close() {
        model.close();
    }

    /** Model outputs for n windows, flat row-major. */
    public static final class Scores {
        public final int n;
        /** [n, 6]: columns as {@code ModelSpec.SCORE_NAMES}. */
        public final float[] scores;
        /** [n, 5]: NORM, MI, STTC, CD, HYP probabilities. */
        public final float[] superclass;
        /** [n]: 1 - P(normal beat) P(no AF) P(NORM morphology). */
        public final float[] anomaly;
        /** [n, STEPS]: attention weights over the 32 time steps (each 80 ms of the window). */
        public final float[] attention;
        /** [n, RR_FEATURES]: the RR features of the scored windows (a copy of the input), for {@link #beatClass}. */
        public final float[] rr;
        /** [n]: the rhythm irregularity of the scored windows (a copy of the input), for {@link #beatClass}. */
        public final float[] rrIrregularity;
        /** [n]: pre-RR over the longer-term RR of the scored windows (a copy of the input), for {@link #beatClass}. */
        public final float[] preLongRatio;
        /** [n]: the QRS's difference from the dominant-beat template ({@code BeatWindowExtractor.templateResidual} of the input), for {@link #beatClass}. */
        public final float[] templateResidual;

        public Scores(int n) {
            this.n = n;
            scores = new float[n * 6];
            superclass = new float[n * 5];
            anomaly = new float[n];
            attention = new float[n * STEPS];
            rr = new float[n * RR_FEATURES];
            rrIrregularity = new float[n];
            preLongRatio = new float[n];
            templateResidual = new float[n];
        }

        public float score(int row, int column) {
            return scores[row * 6 + column];
        }

        /** Beat class 0..3 (N/S/V/F) of row {@code row} by the decision rule {@code ModelSpec.beatClass}. */
        public int beatClass(int row) {
            return io.ecgsentinel.models.ModelSpec.beatClass(scores, rr, rrIrregularity, preLongRatio, templateResidual, row);
        }

        /** Whether row {@code row} is V by the decision rule (its V step needs no rhythm irregularity). */
        public boolean isVentricular(int row) {
            return io.ecgsentinel.models.ModelSpec.isVentricular(scores, rr, templateResidual, row);
        }
    }

    /** Batched scoring with one DJL predictor. Not thread-safe. */
    public static final class Scorer implements AutoCloseable {
        private final Predictor<NDList, NDList> predictor;
        private final int maxBatch;

        Scorer(Predictor<NDList, NDList> predictor, int maxBatch) {
            this.predictor = predictor;
            this.maxBatch = maxBatch;
        }

        /** Scores rows 0..w.size-1 of {@code w}, in chunks of at most maxBatch. */
        public Scores score(BeatWindows w) {
            Scores out = new Scores(w.size);
            System.arraycopy(w.rr, 0, out.rr, 0, w.size * RR_FEATURES);
            System.arraycopy(w.rrIrregularity, 0, out.rrIrregularity, 0, w.size);
            System.arraycopy(w.preLongRatio, 0, out.preLongRatio, 0, w.size);
            for (int i = 0; i < w.size; i++) {
                out.templateResidual[i] = BeatWindowExtractor.templateResidual(w.ecg, w.mask, i);
            }
            for (int from = 0; from < w.size; from += maxBatch) {
                int n = Math.min(maxBatch, w.size - from);
                run(w, from, n, out);
            }
            return out;
        }

        private void run(BeatWindows w, int from, int n, Scores out) {
            try (NDManager mgr = NDManager.newBaseManager("TensorFlow")) {
                NDArray e = mgr.create(FloatBuffer.wrap(w.ecg, from * WINDOW * ECG_CHANNELS, n * WINDOW * ECG_CHANNELS),
                        new Shape(n, WINDOW, ECG_CHANNELS));
                e.setName(IN_ECG);
                NDArray m = mgr.create(FloatBuffer.wrap(w.mask, from * N_LEADS, n * N_LEADS), new Shape(n, N_LEADS));
                m.setName(IN_MASK);
                NDArray r = mgr.create(FloatBuffer.wrap(w.rr, from * RR_FEATURES, n * RR_FEATURES),
                        new Shape(n, RR_FEATURES));
                r.setName(IN_RR);
                NDList res = predictor.predict(new NDList(e, m, r));
                copy(res, OUT_SCORES, out.scores, from * 6);
                copy(res, OUT_SUPERCLASS, out.superclass, from * 5);
                copy(res, OUT_ANOMALY, out.anomaly, from);
                copy(res, OUT_ATTENTION, out.attention, from * STEPS);
            } catch (TranslateException ex) {
                throw new EcgModelException("inference failed: " + ex.getMessage(), ex);
            }
        }

        private static void copy(NDList res, String name, float[] dst, int off) {
            NDArray a = res.get(name);
            if (a == null) {
                List<String> names = new ArrayList<>();
                res.forEach(x -> names.add(x.getName()));
                throw new EcgModelException("model output '" + name + "' missing; outputs are " + names);
            }
            float[] v = a.toFloatArray();
            System.arraycopy(v, 0, dst, off, v.length);
        }

        @Override
        public void close() {
            predictor.close();
        }
    }
}
