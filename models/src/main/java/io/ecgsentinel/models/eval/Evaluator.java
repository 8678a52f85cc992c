package io.ecgsentinel.models.eval;

import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.labels.CincLabels;
import io.ecgsentinel.core.labels.PtbXlMetadata;
import io.ecgsentinel.core.labels.PtbXlRecord;
import io.ecgsentinel.core.qrs.BeatMatcher;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.core.wfdb.AnnotationWriter;
import io.ecgsentinel.core.wfdb.WfdbHeader;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.RecordPipeline;
import io.ecgsentinel.models.serve.EcgModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluation behind {@code ecg evaluate}: EC57-style beat classification on WFDB directories with
 * beat annotations, record-level AUCs on PTB-XL-style directories. Results are printed (last lines
 * machine-readable) and returned as a map for the model card.
 */
public final class Evaluator {

    /** Reference rows: AAMI N, S, V, F, Q, plus detections without a reference beat (O). */
    static final List<String> REF_ROWS = List.of("N", "S", "V", "F", "Q", "O (no ref)");
    /** Predicted columns: N, S, V, F, plus reference beats without a detection. */
    static final List<String> PRED_COLS = List.of("N", "S", "V", "F", "missed");

    private final EcgModel model;
    private final java.util.function.Function<String, EcgModel> modelForRecord;
    private final PreprocessingConfig config;
    private final PrintStream out;
    private final Path outDir;

    public Evaluator(EcgModel model, PreprocessingConfig config, PrintStream out, Path outDir) {
        this(model, r -> model, config, out, outDir);
    }

    /**
     * @param modelForRecord the model that scores a given record (cross-validation: the model whose
     *     training excluded that record's patient)
     */
    public Evaluator(EcgModel model, java.util.function.Function<String, EcgModel> modelForRecord,
            PreprocessingConfig config, PrintStream out, Path outDir) {
        this.model = model;
        this.modelForRecord = modelForRecord;
        this.config = config;
        this.out = out;
        this.outDir = outDir;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** EC57-style evaluation of annotated WFDB records (beats found by ecg-core's QRS detector). */
    public Map<String, Object> beats(Path dir, List<String> records, String annotator) throws IOException {
        long[][] conf = new long[6][5];
        long refTotal = 0, tpQrs = 0, fnQrs = 0, fpQrs = 0;
        List<Double> vScore = new ArrayList<>(), sScore = new ArrayList<>(), aScore = new ArrayList<>();
        List<Boolean> vRef = new ArrayList<>(), sRef = new ArrayList<>(), aRef = new ArrayList<>();
        RecordScorer rs = new RecordScorer();
        int strips = 0;
        out.println("Beats are DETECTED with ecg-core's QrsDetector (not the reference annotations); every beat of every"
                + " record is scored, with no learning period; match window 150 ms.");
        out.printf("%-8s %6s %6s %6s %6s | %6s %6s | %6s %6s%n", "record", "ref", "det", "QRS Se", "QRS+P", "V Se", "V +P", "S Se", "S +P");
        {
            for (String name : records) {
              try (EcgModel.Scorer scorer = modelForRecord.apply(name).newScorer()) {
                WfdbRecord r = WfdbRecord.read(dir.resolve(name + ".hea"));
                EcgSignal sig = EcgSignal.from(r);
                RecordPipeline.Processed p = RecordPipeline.process(sig, config);
                EcgModel.Scores s = rs.score(scorer, p);
                List<Annotation> ann = AnnotationReader.read(dir.resolve(name), annotator);
                BeatMatcher.BeatMatch bm = BeatMatcher.match(ann, p.beatsInput(), sig.samplingFrequency(), r.length());
                refTotal += bm.referenceBeats();
                tpQrs += bm.truePositives();
                fnQrs += bm.fn();
                fpQrs += bm.fp();
                List<Annotation> ref = ann.stream().filter(Annotation::isBeat).toList();
                int[] match = match(ref, p.beatsInput(), BeatMatcher.matchWindowSamples(sig.samplingFrequency()));
                long[][] rc = new long[6][5];
                boolean[] detMatched = new boolean[p.beatsInput().length];
                List<long[]> vfRef = vfEpisodes(ann, r.length());
                for (int k = 0; k < ref.size(); k++) {
                    int row = "NSVFQ".indexOf(AnnotationCodes.aamiClass(ref.get(k).code()));
                    if (row < 0 || inside(vfRef, ref.get(k).sample())) continue;
                    int d = match[k];
                    if (d < 0) {
                        rc[row][4]++;
                        continue;
                    }
                    detMatched[d] = true;
                    int pred = RecordScorer.beatClass(s, d);
                    rc[row][pred]++;
                    vScore.add((double) s.scores[d * 6 + 2]);
                    vRef.add(row == 2);
                    sScore.add((double) s.scores[d * 6 + 1]);
                    sRef.add(row == 1);
                    aScore.add((double) s.anomaly[d]);
                    aRef.add(row != 0);
                }
                List<long[]> vf = vfEpisodes(ann, r.length());
                for (int d = 0; d < detMatched.length; d++) {
                    if (!detMatched[d] && p.beatsInput()[d] < r.length() && !inside(vf, p.beatsInput()[d])) {
                        rc[5][RecordScorer.beatClass(s, d)]++;
                    }
                }
                for (int i = 0; i < 6; i++) for (int j = 0; j < 5; j++) conf[i][j] += rc[i][j];
                double[] v = ec57(rc, 2), sv = ec57(rc, 1);
                out.printf(Locale.ROOT, "%-8s %6d %6d %6.2f %6.2f | %6s %6s | %6s %6s%n", name, bm.referenceBeats(),
                        p.beatsInput().length, bm.sensitivity(), bm.positivePredictivity(),
                        f(v[0]), f(v[1]), f(sv[0]), f(sv[1]));
                if (outDir != null) {
                    writeCls(outDir.resolve(name + ".cls"), p, s);
                    if (strips < 4) {
                        strips += strips(name, sig, p, s, ref, match);
                    }
                }
              }
            }
        }
        Map<String, Object> res = new LinkedHashMap<>();
        double[] v = ec57(conf, 2), sv = ec57(conf, 1);
        out.println();
        out.printf(Locale.ROOT, "QRS detection (gross): Se=%.2f %% +P=%.2f %% (%d reference beats, TP %d, FN %d, FP %d)%n",
                100.0 * tpQrs / Math.max(1, tpQrs + fnQrs), 100.0 * tpQrs / Math.max(1, tpQrs + fpQrs), refTotal, tpQrs, fnQrs, fpQrs);
        out.println("Confusion matrix (gross; rows reference AAMI class, columns predicted):");
        out.printf("%-12s", "");
        for (String c : PRED_COLS) out.printf("%8s", c);
        out.println();
        for (int i = 0; i < 6; i++) {
            out.printf("%-12s", REF_ROWS.get(i));
            for (int j = 0; j < 5; j++) out.printf("%8d", conf[i][j]);
            out.println();
        }
        out.println("EC57 conventions: Se = TP / all reference beats of the class (missed beats are FN); +P counts as FP"
                + " detections of other classes and detections without a reference beat; VEB +P does not count F"
                + " beats called V, SVEB +P counts every other class; ventricular flutter episodes ([ ... ]) are excluded;"
                + " beat class = " + ModelSpec.beatClassRule() + ".");
        // beat-level metrics on matched beats
        long matched = 0, correct = 0;
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
            matched += conf[i][j];
            if (i == j) correct += conf[i][j];
        }
        out.printf(Locale.ROOT, "Matched-beat accuracy (N/S/V/F): %.4f over %d beats (Q beats excluded)%n",
                (double) correct / Math.max(1, matched), matched);
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < 4; c++) {
            long tp = conf[c][c], fp = 0, fn = 0;
            for (int j = 0; j < 4; j++) if (j != c) fn += conf[c][j];
            fn += conf[c][4];
            for (int i = 0; i < 6; i++) if (i != c) fp += conf[i][c];
            Metrics.Binary b = new Metrics.Binary(tp, fp, 0, fn);
            out.printf(Locale.ROOT, "class %s: precision %.4f recall %.4f F1 %.4f%n", ModelSpec.BEAT_CLASSES.get(c),
                    b.precision(), b.recall(), b.f1());
            perClass.put(ModelSpec.BEAT_CLASSES.get(c), Map.of("precision", b.precision(), "recall", b.recall(), "f1", b.f1()));
        }
        double vAuc = Metrics.rocAuc(arr(vScore), bool(vRef)), vAp = Metrics.prAuc(arr(vScore), bool(vRef));
        double sAuc = Metrics.rocAuc(arr(sScore), bool(sRef)), sAp = Metrics.prAuc(arr(sScore), bool(sRef));
        double aAuc = Metrics.rocAuc(arr(aScore), bool(aRef)), aAp = Metrics.prAuc(arr(aScore), bool(aRef));
        out.printf(Locale.ROOT, "ROC AUC / PR AUC: V vs rest %.4f / %.4f; S vs rest %.4f / %.4f; anomaly score (not N) %.4f / %.4f%n",
                vAuc, vAp, sAuc, sAp, aAuc, aAp);
        if (outDir != null) {
            Plots.curves(outDir.resolve("roc.png"), "ROC (matched beats)", "false positive rate", "true positive rate",
                    Map.of("V vs rest", Metrics.rocCurve(arr(vScore), bool(vRef)), "S vs rest", Metrics.rocCurve(arr(sScore), bool(sRef)),
                            "anomaly (not N)", Metrics.rocCurve(arr(aScore), bool(aRef))), true);
            Plots.curves(outDir.resolve("pr.png"), "Precision-recall (matched beats)", "recall", "precision",
                    Map.of("V vs rest", Metrics.prCurve(arr(vScore), bool(vRef)), "S vs rest", Metrics.prCurve(arr(sScore), bool(sRef)),
                            "anomaly (not N)", Metrics.prCurve(arr(aScore), bool(aRef))), false);
            Plots.confusion(outDir.resolve("confusion.png"), "Beat classes, " + records.size() + " records", REF_ROWS, PRED_COLS, conf);
            out.println("wrote roc.png, pr.png, confusion.png, strip-*.png and <record>.cls annotation files to " + outDir);
        }
        res.put("records", records);
        res.put("confusion_rows_" + String.join("", "NSVFQO"), conf);
        res.put("qrs_se", 100.0 * tpQrs / Math.max(1, tpQrs + fnQrs));
        res.put("qrs_pp", 100.0 * tpQrs / Math.max(1, tpQrs + fpQrs));
        res.put("veb_se", v[0]);
        res.put("veb_pp", v[1]);
        res.put("sveb_se", sv[0]);
        res.put("sveb_pp", sv[1]);
        res.put("per_class", perClass);
        res.put("roc_auc_v", vAuc);
        res.put("pr_auc_v", vAp);
        res.put("roc_auc_s", sAuc);
        res.put("pr_auc_s", sAp);
        res.put("accuracy_matched", (double) correct / Math.max(1, matched));
        List<String> lines = List.of("VEB Se=" + pct(v[0]) + " +P=" + pct(v[1]), "SVEB Se=" + pct(sv[0]) + " +P=" + pct(sv[1]));
        res.put("lines", lines);
        out.println();
        lines.forEach(out::println);
        return res;
    }

    /** Ventricular flutter/fibrillation episodes '[' .. ']' (EC57 excludes them from beat statistics). */
    static List<long[]> vfEpisodes(List<Annotation> ann, long length) {
        List<long[]> out = new ArrayList<>();
        long start = -1;
        for (Annotation a : ann) {
            if (a.symbol().equals("[")) start = a.sample();
            else if (a.symbol().equals("]") && start >= 0) {
                out.add(new long[] {start, a.sample()});
                start = -1;
            }
        }
        if (start >= 0) out.add(new long[] {start, length});
        return out;
    }

    static boolean inside(List<long[]> eps, long t) {
        for (long[] e : eps) if (t >= e[0] && t <= e[1]) return true;
        return false;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Se and +P (percent) for class c (1 = S, 2 = V) from a [6][5] matrix. */
    static double[] ec57(long[][] m, int c) {
        long tp = m[c][c], fn = 0, fp = 0;
        for (int j = 0; j < 5; j++) if (j != c) fn += m[c][j];
        for (int i = 0; i < 6; i++) {
            if (i == c) continue;
            if (c == 2 && i == 3) continue; // F called V: not a VEB false positive (EC57)
            fp += m[i][c];
        }
        return new double[] {tp + fn == 0 ? Double.NaN : 100.0 * tp / (tp + fn), tp + fp == 0 ? Double.NaN : 100.0 * tp / (tp + fp)};
    }

    /**
     * Pairs reference beats with detections within {@code win} samples: in time order, each reference
     * beat takes the nearest unpaired detection if the detection is not closer to the next reference beat.
     */
    static int[] match(List<Annotation> ref, long[] det, int win) {
        int[] m = new int[ref.size()];
        Arrays.fill(m, -1);
        boolean[] used = new boolean[det.length];
        int j = 0;
        for (int k = 0; k < ref.size(); k++) {
            long t = ref.get(k).sample();
            while (j < det.length && det[j] < t - win) j++;
            int best = -1;
            long bd = Long.MAX_VALUE;
            for (int d = j; d < det.length && det[d] <= t + win; d++) {
                if (used[d]) continue;
                long dist = Math.abs(det[d] - t);
                if (k + 1 < ref.size() && Math.abs(ref.get(k + 1).sample() - det[d]) < dist) continue;
                if (dist < bd) {
                    bd = dist;
                    best = d;
                }
            }
            if (best >= 0) {
                used[best] = true;
                m[k] = best;
            }
        }
        return m;
    }

    private void writeCls(Path file, RecordPipeline.Processed p, EcgModel.Scores s) throws IOException {
        List<Annotation> anns = new ArrayList<>();
        for (int d = 0; d < p.beatsInput().length; d++) {
            String sym = ModelSpec.BEAT_CLASSES.get(RecordScorer.beatClass(s, d));
            anns.add(new Annotation(p.beatsInput()[d], AnnotationCodes.code(sym), 0, 0, 0, null));
        }
        AnnotationWriter.write(file, anns);
    }

    private int strips(String name, EcgSignal sig, RecordPipeline.Processed p, EcgModel.Scores s,
            List<Annotation> ref, int[] match) throws IOException {
        // one strip around the first detected beat the model calls V or S, else the start
        int centre = -1;
        for (int d = 0; d < p.beats().length && centre < 0; d++) {
            if (RecordScorer.beatClass(s, d) != 0) centre = d;
        }
        int lead = -1;
        for (int c : new int[] {1, 0, 6, 7, 10}) if (p.channels()[c] != null && lead < 0) lead = c;
        if (lead < 0) return 0;
        long mid = centre < 0 ? 500 : p.beats()[centre];
        int from = (int) Math.max(0, mid - 500), to = (int) Math.min(p.length(), from + 1000);
        List<Plots.Mark> marks = new ArrayList<>();
        for (int d = 0; d < p.beats().length; d++) {
            int cls = RecordScorer.beatClass(s, d);
            marks.add(new Plots.Mark((int) p.beats()[d], ModelSpec.BEAT_CLASSES.get(cls), s.anomaly[d], cls != 0));
        }
        Plots.strip(outDir.resolve("strip-" + name + ".png"), "record " + name + ", lead " + ModelSpec.LEADS.get(lead)
                + " (preprocessed, 100 Hz), " + String.format(Locale.ROOT, "%.1f-%.1f s", from / 100.0, to / 100.0)
                + "; label = predicted class, number = anomaly score", p.channels()[lead], from, to, ModelSpec.FS, marks);
        return 1;
    }

    /** Record-level evaluation on a PTB-XL-style directory. */
    public Map<String, Object> ptbxl(Path dir, List<Integer> folds) throws IOException {
        PtbXlMetadata meta = PtbXlMetadata.load(dir);
        List<PtbXlRecord> recs = new ArrayList<>();
        int highRateOnly = 0;
        int missing = 0;
        for (PtbXlRecord r : meta.records()) {
            if (!folds.isEmpty() && !folds.contains(r.stratFold())) continue;
            if (signalHeader(meta, r) == null) {
                missing++;
                continue;
            }
            if (!meta.hasLowRate(r)) highRateOnly++;
            recs.add(r);
        }
        out.println("Records: " + recs.size() + (folds.isEmpty() ? " (all folds)" : " (folds " + folds + ")")
                + ", 100 Hz files" + (highRateOnly > 0 ? " (500 Hz where only those are present: " + highRateOnly + ")" : "")
                + (missing > 0 ? "; " + missing + " listed in the metadata without a signal file, skipped" : "")
                + "; beats detected with ecg-core's QrsDetector; record score = mean over its beats");
        RecordScorer rs = new RecordScorer();
        int n = recs.size();
        double[] abn = new double[n], af = new double[n];
        double[][] sup = new double[n][5];
        int[] beats = new int[n];
        StringBuilder csv = new StringBuilder("ecg_id,score\n");
        try (EcgModel.Scorer scorer = model.newScorer()) {
            for (int i = 0; i < n; i++) {
                PtbXlRecord r = recs.get(i);
                RecordPipeline.Processed p = RecordPipeline.process(EcgSignal.read(signalHeader(meta, r)), config);
                EcgModel.Scores s = rs.score(scorer, p);
                beats[i] = s.n;
                for (int b = 0; b < s.n; b++) {
                    abn[i] += s.scores[b * 6 + 5];
                    af[i] += s.scores[b * 6 + 4];
                    for (int k = 0; k < 5; k++) sup[i][k] += s.superclass[b * 5 + k];
                }
                if (s.n > 0) {
                    abn[i] /= s.n;
                    af[i] /= s.n;
                    for (int k = 0; k < 5; k++) sup[i][k] /= s.n;
                } else {
                    abn[i] = 0.5; // no beat found: undecided
                    af[i] = 0.5;
                    Arrays.fill(sup[i], 0.5);
                }
                csv.append(r.ecgId()).append(',').append(String.format(Locale.ROOT, "%.6f", abn[i])).append('\n');
            }
        }
        // NORM vs abnormal on records with a diagnostic superclass
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) if (!recs.get(i).superclasses().isEmpty()) idx.add(i);
        double[] sc = new double[idx.size()];
        boolean[] y = new boolean[idx.size()];
        for (int k = 0; k < idx.size(); k++) {
            sc[k] = abn[idx.get(k)];
            y[k] = !recs.get(idx.get(k)).superclasses().contains("NORM");
        }
        double auc = Metrics.rocAuc(sc, y), ap = Metrics.prAuc(sc, y);
        Metrics.Binary b = Metrics.binary(sc, y, 0.5);
        out.printf(Locale.ROOT, "NORM vs abnormal (%d records, %d abnormal) at threshold 0.5: accuracy %.4f precision %.4f recall %.4f F1 %.4f%n",
                sc.length, b.tp() + b.fn(), b.accuracy(), b.precision(), b.recall(), b.f1());
        out.printf(Locale.ROOT, "NORM vs abnormal: ROC AUC %.4f, PR AUC %.4f%n", auc, ap);
        Map<String, Object> perClass = new LinkedHashMap<>();
        Map<String, List<double[]>> rocs = new LinkedHashMap<>(), prs = new LinkedHashMap<>();
        rocs.put("NORM vs abnormal", Metrics.rocCurve(sc, y));
        prs.put("NORM vs abnormal", Metrics.prCurve(sc, y));
        for (int k = 0; k < 5; k++) {
            double[] s = new double[idx.size()];
            boolean[] t = new boolean[idx.size()];
            for (int q = 0; q < idx.size(); q++) {
                s[q] = sup[idx.get(q)][k];
                t[q] = recs.get(idx.get(q)).superclasses().contains(ModelSpec.SUPERCLASSES.get(k));
            }
            double a = Metrics.rocAuc(s, t), p = Metrics.prAuc(s, t);
            perClass.put(ModelSpec.SUPERCLASSES.get(k), Map.of("roc_auc", a, "pr_auc", p));
            out.printf(Locale.ROOT, "class %-5s ROC AUC %.4f PR AUC %.4f (%d positive)%n", ModelSpec.SUPERCLASSES.get(k), a, p, count(t));
        }
        boolean[] afY = new boolean[n];
        for (int i = 0; i < n; i++) afY[i] = recs.get(i).scpCodes().containsKey("AFIB");
        afClass(af, afY, perClass, rocs);
        if (outDir != null) {
            writeRecordLevel(csv, rocs, prs, b);
            ptbStrips(meta, recs, abn);
            out.println("wrote scores.csv (ecg_id,score), roc.png, pr.png, confusion.png, strip-*.png to " + outDir);
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("records", n);
        res.put("folds", folds);
        return recordLevelResult(res, auc, ap, b, perClass);
    }

    /** The AF AUC of the records' mean P(AF): printed, and added to the per-class figures and ROC curves. */
    private void afClass(double[] af, boolean[] afY, Map<String, Object> perClass, Map<String, List<double[]>> rocs) {
        double afAuc = Metrics.rocAuc(af, afY);
        double afAp = Metrics.prAuc(af, afY);
        perClass.put("AFIB", Map.of("roc_auc", afAuc, "pr_auc", afAp));
        out.printf(Locale.ROOT, "class AFIB  ROC AUC %.4f PR AUC %.4f (%d positive)%n", afAuc, afAp, count(afY));
        rocs.put("AFIB", Metrics.rocCurve(af, afY));
    }

    /** scores.csv and the ROC, PR and NORM-vs-abnormal confusion plots of a record-level evaluation. */
    private void writeRecordLevel(CharSequence csv, Map<String, List<double[]>> rocs, Map<String, List<double[]>> prs,
            Metrics.Binary b) throws IOException {
        Files.writeString(outDir.resolve("scores.csv"), csv);
        Plots.curves(outDir.resolve("roc.png"), "ROC (records)", "false positive rate", "true positive rate", rocs, true);
        Plots.curves(outDir.resolve("pr.png"), "Precision-recall (records)", "recall", "precision", prs, false);
        Plots.confusion(outDir.resolve("confusion.png"), "NORM vs abnormal at 0.5", List.of("NORM", "abnormal"),
                List.of("NORM", "abnormal"), new long[][] {{b.tn(), b.fp()}, {b.fn(), b.tp()}});
    }

    /** Adds the NORM-vs-abnormal figures to {@code res}, prints and records the machine-readable line. */
    private Map<String, Object> recordLevelResult(Map<String, Object> res, double auc, double ap, Metrics.Binary b,
            Map<String, Object> perClass) {
        res.put("auc_norm_vs_abnormal", auc);
        res.put("pr_auc_norm_vs_abnormal", ap);
        res.put("accuracy_at_0_5", b.accuracy());
        res.put("precision_at_0_5", b.precision());
        res.put("recall_at_0_5", b.recall());
        res.put("f1_at_0_5", b.f1());
        res.put("per_class", perClass);
        String line = String.format(Locale.ROOT, "AUC_NORM_VS_ABNORMAL=%.4f", auc);
        res.put("lines", List.of(line));
        out.println();
        out.println(line);
        return res;
    }

    /** SNOMED CT code of normal sinus rhythm: a CinC record whose only diagnosis it is counts as normal. */
    static final String SNOMED_SINUS_RHYTHM = "426783006";
    /** SNOMED CT codes of atrial fibrillation and flutter (CinC). */
    static final List<String> SNOMED_AF = List.of("164889003", "164890007");

    /**
     * The record-level label a header's comments give, or null for none: CinC 2021 style ({@code # Dx:}
     * SNOMED codes; normal when sinus rhythm is the only code) or PTB Diagnostic style ({@code #
     * Reason for admission:}; normal for "Healthy control"). {@code [abnormal, af]}.
     */
    static boolean[] headerLabel(WfdbHeader h) {
        List<String> dx = CincLabels.dxCodes(h);
        if (!dx.isEmpty()) {
            boolean normal = dx.stream().allMatch(SNOMED_SINUS_RHYTHM::equals);
            return new boolean[] {!normal, dx.stream().anyMatch(SNOMED_AF::contains)};
        }
        java.util.Optional<String> reason = h.comment("Reason for admission");
        if (reason.isPresent() && !reason.get().isBlank() && !reason.get().equalsIgnoreCase("n/a")) {
            return new boolean[] {!reason.get().strip().equalsIgnoreCase("Healthy control"), false};
        }
        return null;
    }

    /**
     * Record-level evaluation of a directory whose records carry their diagnosis in the header
     * ({@link #headerLabel}: CinC 2021, PTB Diagnostic): the same record score as on PTB-XL (mean
     * P(abnormal morphology) over the record's beats), NORM-vs-abnormal ROC/PR AUC and, where there
     * are AF labels, the AF AUC of the mean P(AF). Records without a label are listed and skipped.
     */
    public Map<String, Object> headerLabelled(Path dir, List<String> names) throws IOException {
        List<String> used = new ArrayList<>();
        List<String> unlabelled = new ArrayList<>();
        List<boolean[]> labels = new ArrayList<>();
        for (String name : names) {
            Path hea = dir.resolve(name + ".hea");
            boolean[] l = Files.isRegularFile(hea) ? headerLabel(WfdbHeader.read(hea)) : null;
            if (l == null) {
                unlabelled.add(name);
            } else {
                used.add(name);
                labels.add(l);
            }
        }
        if (used.isEmpty()) {
            throw new IllegalArgumentException("no record in " + dir + " has beat annotations, PTB-XL metadata or a"
                    + " diagnosis in its header ('# Dx:' SNOMED codes or '# Reason for admission:')");
        }
        out.println("Records: " + used.size() + " labelled by their headers (CinC '# Dx:' codes: normal = sinus rhythm"
                + " only; PTB '# Reason for admission:': normal = Healthy control)"
                + (unlabelled.isEmpty() ? "" : "; " + unlabelled.size() + " without a label skipped: " + unlabelled)
                + "; beats detected with ecg-core's QrsDetector; record score = mean over its beats");
        int n = used.size();
        double[] abn = new double[n];
        double[] af = new double[n];
        boolean[] y = new boolean[n];
        boolean[] afY = new boolean[n];
        StringBuilder csv = new StringBuilder("record,score\n");
        RecordScorer rs = new RecordScorer();
        try (EcgModel.Scorer scorer = model.newScorer()) {
            for (int i = 0; i < n; i++) {
                RecordPipeline.Processed p = RecordPipeline.process(EcgSignal.read(dir.resolve(used.get(i) + ".hea")), config);
                EcgModel.Scores s = rs.score(scorer, p);
                for (int b = 0; b < s.n; b++) {
                    abn[i] += s.scores[b * 6 + 5];
                    af[i] += s.scores[b * 6 + 4];
                }
                abn[i] = s.n > 0 ? abn[i] / s.n : 0.5; // no beat found: undecided
                af[i] = s.n > 0 ? af[i] / s.n : 0.5;
                y[i] = labels.get(i)[0];
                afY[i] = labels.get(i)[1];
                csv.append(used.get(i)).append(',').append(String.format(Locale.ROOT, "%.6f", abn[i])).append('\n');
            }
        }
        int abnormal = count(y);
        double auc = Metrics.rocAuc(abn, y);
        double ap = Metrics.prAuc(abn, y);
        Metrics.Binary b = Metrics.binary(abn, y, 0.5);
        out.printf(Locale.ROOT, "NORM vs abnormal (%d records, %d abnormal) at threshold 0.5: accuracy %.4f precision %.4f recall %.4f F1 %.4f%n",
                n, abnormal, b.accuracy(), b.precision(), b.recall(), b.f1());
        if (abnormal == 0 || abnormal == n) {
            out.println("NORM vs abnormal: only one class among these records, so no AUC (NaN)");
        }
        out.printf(Locale.ROOT, "NORM vs abnormal: ROC AUC %.4f, PR AUC %.4f%n", auc, ap);
        Map<String, List<double[]>> rocs = new LinkedHashMap<>();
        Map<String, List<double[]>> prs = new LinkedHashMap<>();
        rocs.put("NORM vs abnormal", Metrics.rocCurve(abn, y));
        prs.put("NORM vs abnormal", Metrics.prCurve(abn, y));
        Map<String, Object> perClass = new LinkedHashMap<>();
        if (count(afY) > 0 && count(afY) < n) {
            afClass(af, afY, perClass, rocs);
        }
        if (outDir != null) {
            writeRecordLevel(csv, rocs, prs, b);
            out.println("wrote scores.csv (record,score), roc.png, pr.png, confusion.png to " + outDir);
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("records", n);
        res.put("unlabelled_records", unlabelled);
        return recordLevelResult(res, auc, ap, b, perClass);
    }

    /**
     * The record's 100 Hz header (what the model was trained on), else its 500 Hz one (the
     * preprocessing resamples to 100 Hz, as for a 500 Hz device in the job), else null.
     */
    static Path signalHeader(PtbXlMetadata meta, PtbXlRecord r) {
        if (meta.hasLowRate(r)) return meta.lowRateHeader(r);
        return meta.hasHighRate(r) ? meta.highRateHeader(r) : null;
    }

    private void ptbStrips(PtbXlMetadata meta, List<PtbXlRecord> recs, double[] abn) throws IOException {
        // the most and the least abnormal-looking records
        Integer[] order = new Integer[recs.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(abn[b], abn[a]));
        List<Integer> pick = new ArrayList<>();
        for (int k = 0; k < Math.min(2, order.length); k++) pick.add(order[k]);
        for (int k = 0; k < Math.min(2, order.length); k++) pick.add(order[order.length - 1 - k]);
        RecordScorer rs = new RecordScorer();
        try (EcgModel.Scorer scorer = model.newScorer()) {
            for (int i : pick) {
                PtbXlRecord r = recs.get(i);
                RecordPipeline.Processed p = RecordPipeline.process(EcgSignal.read(signalHeader(meta, r)), config);
                EcgModel.Scores s = rs.score(scorer, p);
                List<Plots.Mark> marks = new ArrayList<>();
                for (int d = 0; d < s.n; d++) {
                    marks.add(new Plots.Mark((int) p.beats()[d], ModelSpec.BEAT_CLASSES.get(RecordScorer.beatClass(s, d)),
                            s.scores[d * 6 + 5], s.scores[d * 6 + 5] >= 0.5));
                }
                Plots.strip(outDir.resolve("strip-ptbxl-" + r.ecgId() + ".png"),
                        String.format(Locale.ROOT, "PTB-XL %d lead II, record score %.2f, labels %s; number = P(abnormal morphology)",
                                r.ecgId(), abn[i], r.superclasses()), p.channels()[1], 0, p.length(), ModelSpec.FS, marks);
            }
        }
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return n;
    }

    static double[] arr(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static boolean[] bool(List<Boolean> l) {
        boolean[] b = new boolean[l.size()];
        for (int i = 0; i < b.length; i++) b[i] = l.get(i);
        return b;
    }
}
