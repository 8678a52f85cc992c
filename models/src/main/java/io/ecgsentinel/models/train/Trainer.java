package io.ecgsentinel.models.train;

import static io.ecgsentinel.models.ModelSpec.N_LEADS;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ecgsentinel.core.labels.PtbXlMetadata;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.data.DatasetBuilder;
import io.ecgsentinel.models.data.SyntheticBeats;
import io.ecgsentinel.models.data.LabeledRecord;
import io.ecgsentinel.models.eval.Metrics;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.input.RecordPipeline;
import io.ecgsentinel.models.serve.EcgModel;
import io.ecgsentinel.models.tf.Batch;
import io.ecgsentinel.models.tf.GraphModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The training run behind {@code ecg train}: builds the datasets (patient-level split), trains
 * {@link io.ecgsentinel.models.tf.EcgNetwork} with Adam in TensorFlow graph mode, validates after every
 * epoch, keeps the best weights by the validation score, exports the SavedModel with its model card
 * and a golden fixture (fixed inputs + expected outputs) for the regression test.
 */
public final class Trainer {

    /** Everything that determines a run (recorded in the model card). */
    public record Options(
            Path dataDir,
            Path outDir,
            long seed,
            int epochs,
            int batch,
            float lr,
            List<String> mitdbTrain,
            List<String> mitdbVal,
            List<Integer> ptbxlTrainFolds,
            List<Integer> ptbxlValFolds,
            boolean cpsc2021,
            int normalPerEpoch,
            int ptbBeatsPerRecord,
            float l2,
            Path goldenFile,
            String command,
            float featureDropout,
            float noise,
            int syntheticRecords,
            int members,
            boolean keepLast) {

        /** No validation records or folds (an --all-data run): the last epoch is kept. */
        public boolean trainsOnAll() {
            return mitdbVal.isEmpty() && ptbxlValFolds.isEmpty();
        }

        /** The seed of member k of an ensemble: {@code seed + k}, so member 0 is the single-network run. */
        public long memberSeed(int k) {
            return seed + k;
        }
    }

    /** One trained network: its seed, best weights, best epoch with its validation, and its epochs. */
    record Member(long seed, Map<String, float[]> best, int bestEpoch, Map<String, Object> bestVal, double bestScore,
            List<Map<String, Object>> epochs) {}

    private final Options o;
    private final PrintStream log;
    private final BeatWindowExtractor extractor = new BeatWindowExtractor();

    public Trainer(Options o, PrintStream log) {
        this.o = o;
        this.log = log;
    }

    private record Sample(LabeledRecord r, int beat) {}

    public Path run() throws IOException {
        long t0 = System.nanoTime();
        DatasetBuilder db = new DatasetBuilder(RecordPipeline.defaultConfig());
        Path mitdb = o.dataDir().resolve("mitdb");
        log.printf("loading data from %s (QRS detector + preprocessing on every record)...%n", o.dataDir());
        List<LabeledRecord> train = new ArrayList<>(db.mitdb(mitdb, o.mitdbTrain()));
        List<LabeledRecord> valMit = new ArrayList<>(db.mitdb(mitdb, o.mitdbVal()));
        PtbXlMetadata meta = PtbXlMetadata.load(o.dataDir().resolve("ptbxl"));
        train.addAll(db.ptbxl(meta, o.ptbxlTrainFolds()));
        List<LabeledRecord> valPtb = o.ptbxlValFolds().isEmpty() ? List.of() : db.ptbxl(meta, o.ptbxlValFolds());
        if (o.cpsc2021() && Files.isDirectory(o.dataDir().resolve("cpsc2021"))) {
            train.addAll(db.cpsc2021(o.dataDir().resolve("cpsc2021")));
        }
        if (o.syntheticRecords() > 0) {
            train.addAll(SyntheticBeats.records(db, o.syntheticRecords(), o.seed()));
        }
        checkPatientDisjoint(train, valMit, valPtb);
        log.printf("data ready in %.0f s: %d training records, %d + %d validation records%n",
                (System.nanoTime() - t0) / 1e9, train.size(), valMit.size(), valPtb.size());

        // Pools.
        List<List<Sample>> byClass = new ArrayList<>();
        for (int c = 0; c < 4; c++) byClass.add(new ArrayList<>());
        List<Sample> ptb = new ArrayList<>();
        List<Sample> cpsc = new ArrayList<>();
        List<Sample> mitAfOnly = new ArrayList<>();
        for (LabeledRecord r : train) {
            for (int i = 0; i < r.beats(); i++) {
                if (r.source().equals("mitdb") || r.source().equals("synthetic")) {
                    if (r.beatClass()[i] >= 0) byClass.get(r.beatClass()[i]).add(new Sample(r, i));
                    else if (r.af()[i] >= 0) mitAfOnly.add(new Sample(r, i));
                } else if (r.source().equals("cpsc2021")) {
                    // every CPSC beat each epoch: N beats inside AF teach "irregular is not S"
                    if (r.af()[i] >= 0 || r.beatClass()[i] >= 0) cpsc.add(new Sample(r, i));
                }
            }
            if (r.source().equals("ptbxl")) ptb.add(new Sample(r, -1));
        }
        log.printf("training beats: N=%d S=%d V=%d F=%d; PTB-XL records=%d; CPSC beats=%d%n",
                byClass.get(0).size(), byClass.get(1).size(), byClass.get(2).size(), byClass.get(3).size(),
                ptb.size(), cpsc.size());

        float[] classW = new float[4];
        int nN = Math.min(o.normalPerEpoch(), byClass.get(0).size());
        for (int c = 0; c < 4; c++) {
            int n = c == 0 ? nN : byClass.get(c).size();
            classW[c] = n == 0 ? 1f : (float) Math.max(1.0, Math.min(8.0, Math.sqrt((double) nN / n)));
        }
        // Fusion is not a target class and a high weight makes new patients' V and N beats come out
        // as F (seen in the held-out runs): train it, but without up-weighting.
        classW[3] = 1f;
        log.printf(Locale.ROOT, "beat class loss weights N/S/V/F = %.2f %.2f %.2f %.2f%n", classW[0], classW[1], classW[2], classW[3]);
        GraphModel.LossConfig lc = new GraphModel.LossConfig(classW, 1f, 1f, o.l2(), o.featureDropout());
        List<Member> members = new ArrayList<>();
        for (int k = 0; k < o.members(); k++) {
            if (o.members() > 1) {
                log.printf(Locale.ROOT, "member %d of %d (seed %d)%n", k + 1, o.members(), o.memberSeed(k));
            }
            members.add(trainMember(o.memberSeed(k), lc, classW, nN, byClass, mitAfOnly, ptb, cpsc, valMit, valPtb));
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Path out = o.outDir();
        GraphModel.export(members.stream().map(Member::best).toList(), out);
        for (Member m : members) {
            log.printf(Locale.ROOT, "exported best epoch %d (val score %.4f) of seed %d to %s%n", m.bestEpoch(),
                    m.bestScore(), m.seed(), out);
        }

        // Golden fixture: fixed inputs (first validation beats) + outputs of the exported model via DJL.
        Map<String, Object> golden = golden(valMit.isEmpty() ? train : valMit, out);
        Files.createDirectories(o.goldenFile().getParent());
        json().writeValue(o.goldenFile().toFile(), golden);
        json().writeValue(out.resolve("golden.json").toFile(), golden);

        ModelCard.write(out, o, members, trainSeconds, classW);
        log.printf(Locale.ROOT, "training finished in %.1f min; model card %s%n", trainSeconds / 60,
                out.resolve("model-card.json"));
        return out;
    }

    private Member trainMember(long seed, GraphModel.LossConfig lc, float[] classW, int nN, List<List<Sample>> byClass,
            List<Sample> mitAfOnly, List<Sample> ptb, List<Sample> cpsc, List<LabeledRecord> valMit,
            List<LabeledRecord> valPtb) {
        Random rnd = new Random(seed);
        List<Map<String, Object>> epochs = new ArrayList<>();
        Map<String, float[]> best = null;
        Map<String, Object> bestVal = null;
        double bestScore = -1;
        int bestEpoch = -1;
        try (GraphModel g = new GraphModel(seed, lc)) {
            Batch b = new Batch(o.batch());
            for (int ep = 1; ep <= o.epochs(); ep++) {
                long te = System.nanoTime();
                List<Sample> epoch = new ArrayList<>();
                epoch.addAll(pick(byClass.get(0), nN, rnd));
                for (int c = 1; c < 4; c++) epoch.addAll(byClass.get(c));
                epoch.addAll(pick(mitAfOnly, Math.min(mitAfOnly.size(), 500), rnd));
                for (Sample s : ptb) {
                    int nb = s.r().beats();
                    if (nb == 0) continue;
                    for (int k = 0; k < o.ptbBeatsPerRecord(); k++) epoch.add(new Sample(s.r(), rnd.nextInt(nb)));
                }
                epoch.addAll(cpsc);
                Collections.shuffle(epoch, rnd);
                float lr = lrAt(ep);
                double lossSum = 0;
                int steps = 0;
                for (int from = 0; from + o.batch() <= epoch.size(); from += o.batch()) {
                    b.size = o.batch();
                    for (int k = 0; k < o.batch(); k++) {
                        fillRow(b, k, epoch.get(from + k), classW, rnd);
                    }
                    lossSum += g.step(b, lr);
                    steps++;
                    if (steps % 100 == 0) {
                        log.printf(Locale.ROOT, "  epoch %d step %d/%d loss %.4f (%.2f s/step)%n", ep, steps,
                                epoch.size() / o.batch(), lossSum / steps, (System.nanoTime() - te) / 1e9 / steps);
                    }
                }
                Map<String, Object> val = validate(g, valMit, valPtb);
                double score = (Double) val.get("score");
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("epoch", ep);
                e.put("lr", lr);
                e.put("train_loss", lossSum / steps);
                e.put("seconds", (System.nanoTime() - te) / 1e9);
                e.putAll(val);
                epochs.add(e);
                boolean improved = score > bestScore || (valMit.isEmpty() && valPtb.isEmpty()) || o.keepLast();
                log.printf(Locale.ROOT, "epoch %d/%d loss %.4f | val %s%s (%.0f s)%n", ep, o.epochs(), lossSum / steps,
                        summary(val), !improved ? "" : o.keepLast() ? " *kept*" : " *best*", (System.nanoTime() - te) / 1e9);
                if (improved) {
                    bestScore = score;
                    best = g.weights();
                    bestVal = val;
                    bestEpoch = ep;
                }
            }
        }
        return new Member(seed, best, bestEpoch, bestVal, bestScore, epochs);
    }

    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private float lrAt(int ep) {
        // warm start at lr, cosine decay to lr/20 over the run
        double t = (ep - 1) / (double) Math.max(1, o.epochs() - 1);
        return (float) (o.lr() * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t))));
    }

    private static <T> List<T> pick(List<T> pool, int n, Random rnd) {
        if (n >= pool.size()) return new ArrayList<>(pool);
        List<T> copy = new ArrayList<>(pool);
        Collections.shuffle(copy, rnd);
        return copy.subList(0, n);
    }

    private void fillRow(Batch b, int row, Sample s, float[] classW, Random rnd) {
        LabeledRecord r = s.r();
        boolean[] keep = leadDropout(r, rnd);
        extractor.extract(r.rec().channels(), 0, r.rec().beats(), s.beat(), keep, b, row);
        if (o.noise() > 0) {
            augment(b, row, rnd);
        }
        int c = r.beatClass()[s.beat()];
        if (c >= 0 && r.beatWeight() > 0) {
            b.beatY[row * 4 + c] = 1f;
            b.beatW[row] = classW[c] * r.beatWeight();
        }
        byte af = r.af()[s.beat()];
        if (af >= 0) {
            b.afY[row] = af;
            b.afW[row] = 1f;
        }
        if (r.superclass() != null) {
            System.arraycopy(r.superclass(), 0, b.supY, row * 5, 5);
            b.supW[row] = 1f;
        }
    }

    /**
     * Noise augmentation of one training window (after extraction, in z-score units): white noise
     * of a random level up to {@code noise} plus a slow random baseline sway, added equally to a
     * lead's raw and template-difference channels (the template, a median, is much less noisy).
     */
    private void augment(Batch b, int row, Random rnd) {
        int w = ModelSpec.WINDOW, ch = ModelSpec.ECG_CHANNELS;
        double sigma = o.noise() * rnd.nextDouble();
        for (int c = 0; c < N_LEADS; c++) {
            if (b.mask[row * N_LEADS + c] == 0f) continue;
            double amp = 0.5 * o.noise() * rnd.nextDouble(), f = 0.1 + 0.4 * rnd.nextDouble(), ph = 2 * Math.PI * rnd.nextDouble();
            for (int k = 0; k < w; k++) {
                float v = (float) (sigma * rnd.nextGaussian() + amp * Math.sin(ph + 2 * Math.PI * f * k / ModelSpec.FS));
                int at = row * w * ch + k * ch;
                b.ecg[at + c] += v;
                b.ecg[at + N_LEADS + c] += v;
            }
        }
    }

    /** Random lead subsets so that one model works with 12, 2 or 1 lead(s). */
    static boolean[] leadDropout(LabeledRecord r, Random rnd) {
        float[][] ch = r.rec().channels();
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < N_LEADS; c++) if (ch[c] != null) present.add(c);
        boolean[] keep = new boolean[N_LEADS];
        double u = rnd.nextDouble();
        if (u < 0.5 || present.size() == 1) {
            for (int c : present) keep[c] = true; // all present leads
        } else if (u < 0.75) {
            keep[present.get(rnd.nextInt(present.size()))] = true; // one lead
        } else if (present.size() > 2 && u < 0.9) {
            // two leads: lead II (the Holter / monitor lead) when present + one other
            int first = present.contains(1) ? 1 : present.get(rnd.nextInt(present.size()));
            keep[first] = true;
            keep[present.get(rnd.nextInt(present.size()))] = true;
        } else {
            for (int c : present) keep[c] = rnd.nextBoolean();
            keep[present.get(rnd.nextInt(present.size()))] = true;
        }
        return keep;
    }

    /** Training-time validation on held-out patients. */
    Map<String, Object> validate(GraphModel g, List<LabeledRecord> mit, List<LabeledRecord> ptb) {
        Map<String, Object> v = new LinkedHashMap<>();
        long[][] conf = new long[5][4]; // rows: ref N,S,V,F,unlabelled; cols: predicted N,S,V,F
        Batch b = new Batch(512);
        float[] residual = new float[b.capacity];
        for (LabeledRecord r : mit) {
            forEachPrediction(g, r, b, (i, p, row) -> {
                residual[row] = BeatWindowExtractor.templateResidual(b.ecg, b.mask, row);
                int pred = ModelSpec.beatClass(p.scores, b.rr, b.rrIrregularity, b.preLongRatio, residual, row);
                int ref = r.beatClass()[i] >= 0 ? r.beatClass()[i] : 4;
                conf[ref][pred]++;
            });
        }
        if (!mit.isEmpty()) {
            double[] ve = seP(conf, 2, false);
            double[] sv = seP(conf, 1, false);
            v.put("veb_se", ve[0]);
            v.put("veb_pp", ve[1]);
            v.put("sveb_se", sv[0]);
            v.put("sveb_pp", sv[1]);
            v.put("confusion_ref_NSVF_unlabelled_x_pred_NSVF", conf);
        }
        if (!ptb.isEmpty()) {
            List<Double> score = new ArrayList<>();
            List<Boolean> abn = new ArrayList<>();
            for (LabeledRecord r : ptb) {
                if (r.superclass() == null || r.beats() == 0) continue;
                double[] sum = {0};
                forEachPrediction(g, r, b, (i, p, row) -> sum[0] += p.scores[row * 6 + 5]);
                score.add(sum[0] / r.beats());
                abn.add(r.superclass()[0] == 0f);
            }
            double[] s = score.stream().mapToDouble(Double::doubleValue).toArray();
            boolean[] y = new boolean[abn.size()];
            for (int i = 0; i < y.length; i++) y[i] = abn.get(i);
            v.put("ptbxl_auc_norm_vs_abnormal", Metrics.rocAuc(s, y));
            v.put("ptbxl_records", s.length);
        }
        double f1v = f1(v, "veb"), f1s = f1(v, "sveb");
        double auc = v.containsKey("ptbxl_auc_norm_vs_abnormal") ? (Double) v.get("ptbxl_auc_norm_vs_abnormal") : Double.NaN;
        double sc = 0;
        int n = 0;
        for (double x : new double[] {f1v, f1s, auc}) {
            if (!Double.isNaN(x)) {
                sc += x;
                n++;
            }
        }
        v.put("score", n == 0 ? 0.0 : sc / n);
        return v;
    }

    private static double f1(Map<String, Object> v, String p) {
        if (!v.containsKey(p + "_se")) return Double.NaN;
        double se = (Double) v.get(p + "_se") / 100, pp = (Double) v.get(p + "_pp") / 100;
        if (Double.isNaN(se)) return Double.NaN; // no beat of the class in validation
        if (Double.isNaN(pp) || se == 0) return 0; // nothing (right) predicted: F1 = 0, not undefined
        return se + pp == 0 ? 0 : 2 * se * pp / (se + pp);
    }

    /** Se and +P (percent) of class c from the confusion matrix; unlabelled detections count as FP. */
    static double[] seP(long[][] conf, int c, boolean unused) {
        long tp = conf[c][c], refC = 0, predC = 0;
        for (int j = 0; j < 4; j++) refC += conf[c][j];
        for (int i = 0; i < 5; i++) {
            if (c == 2 && i == 3) continue; // EC57: fusion beats called V are not VEB false positives
            predC += conf[i][c];
        }
        return new double[] {refC == 0 ? Double.NaN : 100.0 * tp / refC, predC == 0 ? Double.NaN : 100.0 * tp / predC};
    }

    interface RowConsumer {
        void accept(int beat, GraphModel.Prediction p, int row);
    }

    private void forEachPrediction(GraphModel g, LabeledRecord r, Batch b, RowConsumer c) {
        int n = r.beats();
        for (int from = 0; from < n; from += b.capacity) {
            int k = Math.min(b.capacity, n - from);
            b.size = k;
            for (int j = 0; j < k; j++) {
                extractor.extract(r.rec().channels(), 0, r.rec().beats(), from + j, null, b, j);
            }
            GraphModel.Prediction p = g.predict(b);
            for (int j = 0; j < k; j++) c.accept(from + j, p, j);
        }
    }

    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }

    private static String summary(Map<String, Object> v) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("veb_se", "veb_pp", "sveb_se", "sveb_pp", "ptbxl_auc_norm_vs_abnormal", "score")) {
            if (v.containsKey(k)) sb.append(String.format(Locale.ROOT, "%s=%.3f ", k, ((Number) v.get(k)).doubleValue()));
        }
        return sb.toString().trim();
    }

    private static void checkPatientDisjoint(List<LabeledRecord> train, List<LabeledRecord> a, List<LabeledRecord> b) {
        java.util.Set<String> tr = new java.util.HashSet<>();
        train.forEach(r -> tr.add(r.patient()));
        for (List<LabeledRecord> l : List.of(a, b)) {
            for (LabeledRecord r : l) {
                if (tr.contains(r.patient())) {
                    throw new IllegalStateException("patient " + r.patient() + " is in both training and validation");
                }
            }
        }
    }

    /** Runs fixed inputs through the exported model with DJL and stores inputs + outputs. */
    private Map<String, Object> golden(List<LabeledRecord> recs, Path modelDir) {
        LabeledRecord r = recs.get(0);
        int n = Math.min(6, r.beats());
        io.ecgsentinel.models.input.BeatWindows w = new io.ecgsentinel.models.input.BeatWindows(n);
        for (int i = 0; i < n; i++) {
            extractor.extract(r.rec().channels(), 0, r.rec().beats(), 10 + i, null, w, i);
        }
        w.size = n;
        // one window with only lead II, to pin the lead-mask path
        for (int c = 0; c < N_LEADS; c++) {
            if (c != 1) {
                w.mask[(n - 1) * N_LEADS + c] = 0;
                for (int k = 0; k < ModelSpec.WINDOW; k++) {
                    int at = (n - 1) * ModelSpec.WINDOW * ModelSpec.ECG_CHANNELS + k * ModelSpec.ECG_CHANNELS;
                    w.ecg[at + c] = 0;
                    w.ecg[at + N_LEADS + c] = 0;
                }
            }
        }
        Map<String, Object> gd = new LinkedHashMap<>();
        try (EcgModel m = EcgModel.load(modelDir); EcgModel.Scorer s = m.newScorer()) {
            EcgModel.Scores sc = s.score(w);
            gd.put("source", r.rec().name() + " beats 10.." + (9 + n) + " (last window: lead II only)");
            gd.put("created", Instant.now().toString());
            gd.put("n", n);
            gd.put("ecg", w.ecg);
            gd.put("lead_mask", w.mask);
            gd.put("rr", w.rr);
            gd.put("scores", sc.scores);
            gd.put("superclass_probs", sc.superclass);
            gd.put("anomaly_score", sc.anomaly);
            gd.put("attention", sc.attention);
        }
        return gd;
    }
}
