package io.ecgsentinel.models.tools;

import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.qrs.BeatMatcher;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.eval.Evaluator;
import io.ecgsentinel.models.eval.RecordScorer;
import io.ecgsentinel.models.input.RecordPipeline;
import io.ecgsentinel.models.serve.EcgModel;
import io.ecgsentinel.models.train.ModelCard;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Development tool (not a test): sweeps the constants of the beat decision rule
 * {@link ModelSpec#beatClass} on the patient-held-out MIT-BIH 2-fold cross-validation, without
 * retraining.
 *
 * <p>Collection ({@code --collect}, a few minutes) follows {@code ecg evaluate --fold-model} exactly:
 * {@link RecordPipeline#process} (QrsDetector + MultiLeadPreprocessor), {@link RecordScorer} (which
 * cuts windows with BeatWindowExtractor and scores them with {@link EcgModel.Scorer}), the
 * evaluator's own reference/detection matching, ventricular-flutter exclusion and EC57 Se/+P (package
 * private methods of {@link Evaluator}, called by reflection so that no copy can drift). For every
 * detection it caches the score vector, the RR features the model saw and the EC57 confusion row
 * (N/S/V/F/Q of the matched reference beat, O for a detection without one, excluded otherwise), and
 * per record the missed reference beats per class.
 *
 * <p>Sweep (instant, from the cache): checks that the current constants reproduce the published
 * held-out figures (and that the parametric rule equals {@code ModelSpec.beatClass} beat by beat),
 * prints one-at-a-time sweeps per fold and pooled, writes the full grid as CSV, and selects a setting
 * on one fold's held-out records and reports it on the other fold's (both directions).
 *
 * <p>Folds: A = the records models/ecg-lstm-cv6/val-a did not train on (scored by val-a), B = those
 * of val-b (scored by val-b).
 *
 * <pre>
 * java -cp models/target/test-classes:models/target/classes:$(cat /tmp/models-test.cp) \
 *     io.ecgsentinel.models.tools.BeatRuleSweep [--collect] [--data ../shared/data/mitdb] [--cache /tmp/sweep-beats.bin]
 *     [--csv /tmp/sweep-grid.csv] [--card-model models/ecg-lstm/6] [--dump /tmp/sweep-beats.csv]
 * </pre>
 */
public final class BeatRuleSweep {

    static final String[] FOLD_NAMES = {"A", "B"};
    static final String[] FOLD_DIRS = {"models/ecg-lstm-cv6/val-a", "models/ecg-lstm-cv6/val-b"};
    static final String[] FOLD_RECORDS = {
        "101,108,112,115,118,122,201,205,208,209,230",
        "106,109,114,116,119,124,203,207,215,220,223"};
    static final int MAGIC = 0x4543535A; // "ECSZ": with the rhythm irregularity, pre-RR / longer-term RR and the template residual

    // ---- cached data (flat arrays, one entry per detection) ----
    int n;
    byte[] fold;
    short[] rec;
    byte[] label; // 0..4 = N,S,V,F,Q matched reference; 5 = O (no reference); -1 = not counted by EC57
    byte[] inAf; // reference rhythm at the detection is (AFIB or (AFL (diagnostics only)
    float[] sc; // [n, 6] scores
    float[] rr; // [n, 6] RR features
    float[] irg; // [n] rhythm irregularity (BeatWindowExtractor.rrIrregularity)
    float[] lr; // [n] pre-RR / longer-term RR (BeatWindowExtractor.preLongRatio)
    float[] tr; // [n] QRS difference from the dominant-beat template (BeatWindowExtractor.templateResidual)
    List<String> recNames = new ArrayList<>();
    List<Integer> recFold = new ArrayList<>();
    List<long[]> recMissed = new ArrayList<>(); // per record: missed reference beats per row 0..4

    private static Method MATCH, VF, INSIDE, EC57;

    static {
        try {
            MATCH = Evaluator.class.getDeclaredMethod("match", List.class, long[].class, int.class);
            VF = Evaluator.class.getDeclaredMethod("vfEpisodes", List.class, long.class);
            INSIDE = Evaluator.class.getDeclaredMethod("inside", List.class, long.class);
            EC57 = Evaluator.class.getDeclaredMethod("ec57", long[][].class, int.class);
            for (Method m : new Method[] {MATCH, VF, INSIDE, EC57}) m.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of("../shared/data/mitdb");
        Path cache = Path.of("/tmp/sweep-beats.bin");
        Path csv = Path.of("/tmp/sweep-grid.csv");
        Path cardModel = Path.of("models/ecg-lstm/6");
        Path dump = null;
        boolean collect = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--collect" -> collect = true;
                case "--data" -> data = Path.of(args[++i]);
                case "--cache" -> cache = Path.of(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                case "--card-model" -> cardModel = Path.of(args[++i]);
                case "--dump" -> dump = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        BeatRuleSweep s = new BeatRuleSweep();
        if (collect || !Files.isRegularFile(cache)) {
            s.collect(data, cardModel);
            s.save(cache);
            System.out.println("cached " + s.n + " detections to " + cache);
        } else {
            s.load(cache);
            System.out.println("loaded " + s.n + " detections from " + cache);
        }
        if (dump != null) {
            s.dump(dump);
            System.out.println("wrote " + s.n + " detections to " + dump);
            return;
        }
        s.report(cardModel, csv);
    }

    /** One CSV row per cached detection, for analysis outside Java. */
    void dump(Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("fold,record,label,in_af,p_n,p_s,p_v,p_f,p_af,p_abn,pre_rr,post_rr,avg_rr,pre_ratio,post_ratio,rr_irr_mean,"
                    + "rhythm_irregularity,pre_long_ratio,template_residual");
            for (int i = 0; i < n; i++) {
                StringBuilder b = new StringBuilder();
                b.append(FOLD_NAMES[fold[i]]).append(',').append(recNames.get(rec[i])).append(',')
                        .append(label[i] < 0 ? "-" : String.valueOf("NSVFQO".charAt(label[i]))).append(',').append(inAf[i]);
                for (int k = 0; k < 6; k++) b.append(',').append(sc[i * 6 + k]);
                for (int k = 0; k < 6; k++) b.append(',').append(rr[i * 6 + k]);
                b.append(',').append(irg[i]).append(',').append(lr[i]).append(',').append(tr[i]);
                w.println(b);
            }
        }
    }

    // =====================================================================================
    // Collection: the code path of `ecg evaluate --fold-model` (Evaluator.beats)
    // =====================================================================================

    @SuppressWarnings("unchecked")
    void collect(Path data, Path cardModel) throws Exception {
        Map<String, Object> card = ModelCard.read(cardModel);
        Map<String, Object> input = (Map<String, Object>) card.get("input");
        PreprocessingConfig cfg = PreprocessingConfig.fromMap((Map<String, ?>) input.get("preprocessing"));
        List<Byte> lFold = new ArrayList<>(), lLab = new ArrayList<>(), lAf = new ArrayList<>();
        List<Short> lRec = new ArrayList<>();
        List<float[]> lSc = new ArrayList<>(), lRr = new ArrayList<>();
        List<Float> lIrg = new ArrayList<>();
        List<Float> lLr = new ArrayList<>();
        List<Float> lTr = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            Path dir = Path.of(FOLD_DIRS[f]);
            Map<String, Object> fc = ModelCard.read(dir);
            Map<String, Object> split = (Map<String, Object>) ((Map<String, Object>) fc.get("training")).get("split");
            List<Object> trained = (List<Object>) split.getOrDefault("mitdb_train_records", List.of());
            Object fpre = ((Map<String, Object>) fc.get("input")).get("preprocessing");
            if (!String.valueOf(fpre).equals(String.valueOf(input.get("preprocessing")))) {
                System.out.println("WARNING: preprocessing of " + dir + " differs from " + cardModel + ": " + fpre);
            }
            long t0 = System.nanoTime();
            try (EcgModel model = EcgModel.load(dir)) {
                RecordScorer rs = new RecordScorer();
                for (String name : FOLD_RECORDS[f].split(",")) {
                    if (trained.contains(name)) throw new IllegalStateException(dir + " was trained on " + name);
                    try (EcgModel.Scorer scorer = model.newScorer()) {
                        WfdbRecord r = WfdbRecord.read(data.resolve(name + ".hea"));
                        EcgSignal sig = EcgSignal.from(r);
                        RecordPipeline.Processed p = RecordPipeline.process(sig, cfg);
                        EcgModel.Scores s = rs.score(scorer, p);
                        List<Annotation> ann = AnnotationReader.read(data.resolve(name), "atr");
                        List<Annotation> ref = ann.stream().filter(Annotation::isBeat).toList();
                        long[] det = p.beatsInput();
                        int[] match = (int[]) MATCH.invoke(null, ref, det,
                                BeatMatcher.matchWindowSamples(sig.samplingFrequency()));
                        List<long[]> vf = (List<long[]>) VF.invoke(null, ann, (long) r.length());
                        byte[] lab = new byte[det.length];
                        Arrays.fill(lab, (byte) -1);
                        boolean[] detMatched = new boolean[det.length];
                        long[] missed = new long[5];
                        for (int k = 0; k < ref.size(); k++) {
                            int row = "NSVFQ".indexOf(AnnotationCodes.aamiClass(ref.get(k).code()));
                            if (row < 0 || (boolean) INSIDE.invoke(null, vf, ref.get(k).sample())) continue;
                            int d = match[k];
                            if (d < 0) {
                                missed[row]++;
                                continue;
                            }
                            detMatched[d] = true;
                            lab[d] = (byte) row;
                        }
                        for (int d = 0; d < det.length; d++) {
                            if (!detMatched[d] && det[d] < r.length() && !(boolean) INSIDE.invoke(null, vf, det[d])) {
                                lab[d] = 5;
                            }
                        }
                        // reference rhythm at each detection (diagnostics only)
                        List<Annotation> rh = ann.stream().filter(Annotation::isRhythmChange).toList();
                        int ri = -1;
                        short recIdx = (short) recNames.size();
                        recNames.add(name);
                        recFold.add(f);
                        recMissed.add(missed);
                        for (int d = 0; d < det.length; d++) {
                            while (ri + 1 < rh.size() && rh.get(ri + 1).sample() <= det[d]) ri++;
                            String rhythm = ri >= 0 ? rh.get(ri).rhythm() : "";
                            lFold.add((byte) f);
                            lRec.add(recIdx);
                            lLab.add(lab[d]);
                            lAf.add((byte) (rhythm.equals("AFIB") || rhythm.equals("AFL") ? 1 : 0));
                            lSc.add(Arrays.copyOfRange(s.scores, d * 6, d * 6 + 6));
                            lRr.add(Arrays.copyOfRange(s.rr, d * 6, d * 6 + 6));
                            lIrg.add(s.rrIrregularity[d]);
                            lLr.add(s.preLongRatio[d]);
                            lTr.add(s.templateResidual[d]);
                        }
                        System.out.printf(Locale.ROOT, "fold %s record %s: %d detections, %d reference beats missed%n",
                                FOLD_NAMES[f], name, det.length, Arrays.stream(missed).sum());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "fold %s (%s): %.0f s%n", FOLD_NAMES[f], dir, (System.nanoTime() - t0) / 1e9);
        }
        n = lFold.size();
        fold = new byte[n];
        rec = new short[n];
        label = new byte[n];
        inAf = new byte[n];
        sc = new float[n * 6];
        rr = new float[n * 6];
        irg = new float[n];
        lr = new float[n];
        tr = new float[n];
        for (int i = 0; i < n; i++) {
            fold[i] = lFold.get(i);
            rec[i] = lRec.get(i);
            label[i] = lLab.get(i);
            inAf[i] = lAf.get(i);
            System.arraycopy(lSc.get(i), 0, sc, i * 6, 6);
            System.arraycopy(lRr.get(i), 0, rr, i * 6, 6);
            irg[i] = lIrg.get(i);
            lr[i] = lLr.get(i);
            tr[i] = lTr.get(i);
        }
    }

    void save(Path file) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            o.writeInt(MAGIC);
            o.writeInt(recNames.size());
            for (int r = 0; r < recNames.size(); r++) {
                o.writeUTF(recNames.get(r));
                o.writeInt(recFold.get(r));
                for (long m : recMissed.get(r)) o.writeLong(m);
            }
            o.writeInt(n);
            for (int i = 0; i < n; i++) {
                o.writeByte(fold[i]);
                o.writeShort(rec[i]);
                o.writeByte(label[i]);
                o.writeByte(inAf[i]);
                for (int k = 0; k < 6; k++) o.writeFloat(sc[i * 6 + k]);
                for (int k = 0; k < 6; k++) o.writeFloat(rr[i * 6 + k]);
                o.writeFloat(irg[i]);
                o.writeFloat(lr[i]);
                o.writeFloat(tr[i]);
            }
        }
    }

    void load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) throw new IOException(file + " is not a sweep cache");
            int nr = in.readInt();
            for (int r = 0; r < nr; r++) {
                recNames.add(in.readUTF());
                recFold.add(in.readInt());
                long[] m = new long[5];
                for (int k = 0; k < 5; k++) m[k] = in.readLong();
                recMissed.add(m);
            }
            n = in.readInt();
            fold = new byte[n];
            rec = new short[n];
            label = new byte[n];
            inAf = new byte[n];
            sc = new float[n * 6];
            rr = new float[n * 6];
            irg = new float[n];
            lr = new float[n];
            tr = new float[n];
            for (int i = 0; i < n; i++) {
                fold[i] = in.readByte();
                rec[i] = in.readShort();
                label[i] = in.readByte();
                inAf[i] = in.readByte();
                for (int k = 0; k < 6; k++) sc[i * 6 + k] = in.readFloat();
                for (int k = 0; k < 6; k++) rr[i * 6 + k] = in.readFloat();
                irg[i] = in.readFloat();
                lr[i] = in.readFloat();
                tr[i] = in.readFloat();
            }
        }
    }

    // =====================================================================================
    // The parametric rule
    // =====================================================================================

    /** S modes: how the model's S column (scores[off+1]) enters the rule. */
    static final String[] S_MODES = {"none", "or", "and", "orGated"};

    /**
     * @param pr premature when pre-RR / local average < pr
     * @param irr S only when RR irregularity < irr
     * @param af S only when P(AF) < af
     * @param v V when P(V) >= v
     * @param vPre V when premature and P(V) >= vPre
     * @param sMode 0 = S column unused (current rule); 1 = S also when P(S) >= sThr (no gates);
     *     2 = S only when the RR rule fires AND P(S) >= sThr; 3 = S when (premature OR P(S) >= sThr)
     *     and the irregularity and AF gates pass
     * @param lp the S step also takes a beat as premature when pre-RR / longer-term RR < lp (0 = off)
     * @param tl not V when the template residual is below tl and P(V) below ModelSpec.V_SURE (0 = off)
     */
    record Rule(float pr, float irr, float af, float v, float vPre, int sMode, float sThr, float lp, float tl) {
        int cls(float[] sc, float[] rr, float[] irg, float[] lr, float[] tr, int i) {
            int off = i * 6;
            float pV = sc[off + 2];
            boolean prem = rr[off + 3] < pr;
            if ((pV >= v || (prem && pV >= vPre)) && !(tr[i] < tl && pV < ModelSpec.V_SURE)) return 2;
            boolean premS = prem || lr[i] < lp;
            boolean gates = irg[i] < irr && sc[off + 4] < af;
            boolean s = switch (sMode) {
                case 0 -> premS && gates;
                case 1 -> (premS && gates) || sc[off + 1] >= sThr;
                case 2 -> premS && gates && sc[off + 1] >= sThr;
                default -> (premS || sc[off + 1] >= sThr) && gates;
            };
            if (s) return 1;
            return sc[off + 3] > sc[off] ? 3 : 0;
        }

        Rule withIrr(float x) {
            return new Rule(pr, x, af, v, vPre, sMode, sThr, lp, tl);
        }

        Rule withVPre(float x) {
            return new Rule(pr, irr, af, v, x, sMode, sThr, lp, tl);
        }

        Rule withV(float x) {
            return new Rule(pr, irr, af, x, vPre, sMode, sThr, lp, tl);
        }

        Rule withAf(float x) {
            return new Rule(pr, irr, x, v, vPre, sMode, sThr, lp, tl);
        }

        Rule withTl(float x) {
            return new Rule(pr, irr, af, v, vPre, sMode, sThr, lp, x);
        }

        Rule withLp(float x) {
            return new Rule(pr, irr, af, v, vPre, sMode, sThr, x, tl);
        }

        String text() {
            String s = String.format(Locale.ROOT, "pr=%.2f irr=%s af=%s v=%.2f vPre=%.2f lp=%s tl=%s", pr, gate(irr), gate(af), v,
                    vPre, lp > 0 ? String.format(Locale.ROOT, "%.2f", lp) : "off", tl > 0 ? String.format(Locale.ROOT, "%.2f", tl) : "off");
            return sMode == 0 ? s : s + String.format(Locale.ROOT, " S:%s>=%.2f", S_MODES[sMode], sThr);
        }

        private static String gate(float g) {
            return g > 5 ? "off" : String.format(Locale.ROOT, "%.2f", g);
        }
    }

    static final Rule BASE = new Rule(ModelSpec.PREMATURE_RATIO, ModelSpec.RR_IRREGULAR, ModelSpec.AF_GATE,
            ModelSpec.V_THRESHOLD, ModelSpec.V_THRESHOLD_PREMATURE, 0, 1f, ModelSpec.LONG_PREMATURE_RATIO, ModelSpec.TEMPLATE_LIKE);

    /** EC57 gross SVEB and VEB Se/+P for fold 0, 1, or 2 = pooled. */
    record Res(double sSe, double sPp, double vSe, double vPp) {
        double sF1() {
            return f1(sSe, sPp);
        }

        double vF1() {
            return f1(vSe, vPp);
        }

        static double f1(double a, double b) {
            return a + b == 0 || Double.isNaN(a + b) ? 0 : 2 * a * b / (a + b);
        }

        String text() {
            return String.format(Locale.ROOT, "%6.2f %6.2f %6.2f %6.2f", sSe, sPp, vSe, vPp);
        }
    }

    // fast counting on the candidate beats (the only ones any grid rule can call S or V)
    int[] cand;
    long[][] refS = new long[3][1], refV = new long[3][1];

    void prepare() {
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (label[i] < 0) continue;
            if (label[i] == 1) {
                refS[fold[i]][0]++;
                refS[2][0]++;
            }
            if (label[i] == 2) {
                refV[fold[i]][0]++;
                refV[2][0]++;
            }
            int off = i * 6;
            if (rr[off + 3] < 0.96f || lr[i] < 0.96f || sc[off + 2] >= 0.5f || sc[off + 1] >= 0.1f) c.add(i);
        }
        for (int r = 0; r < recNames.size(); r++) {
            int f = recFold.get(r);
            refS[f][0] += recMissed.get(r)[1];
            refS[2][0] += recMissed.get(r)[1];
            refV[f][0] += recMissed.get(r)[2];
            refV[2][0] += recMissed.get(r)[2];
        }
        cand = c.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Only valid for rules within the candidate bounds (pr <= 0.96, lp <= 0.96, v >= 0.5, sThr >= 0.1 for OR modes). */
    Res[] eval(Rule rule) {
        long[] tpS = new long[2], pS = new long[2], tpV = new long[2], pV = new long[2];
        for (int i : cand) {
            int c = rule.cls(sc, rr, irg, lr, tr, i);
            int f = fold[i];
            if (c == 1) {
                pS[f]++;
                if (label[i] == 1) tpS[f]++;
            } else if (c == 2 && label[i] != 3) { // F called V is no VEB false positive (EC57)
                pV[f]++;
                if (label[i] == 2) tpV[f]++;
            }
        }
        Res[] out = new Res[3];
        for (int f = 0; f < 3; f++) {
            long ts = f < 2 ? tpS[f] : tpS[0] + tpS[1], ps = f < 2 ? pS[f] : pS[0] + pS[1];
            long tv = f < 2 ? tpV[f] : tpV[0] + tpV[1], pv = f < 2 ? pV[f] : pV[0] + pV[1];
            out[f] = new Res(100.0 * ts / refS[f][0], ps == 0 ? Double.NaN : 100.0 * ts / ps,
                    100.0 * tv / refV[f][0], pv == 0 ? Double.NaN : 100.0 * tv / pv);
        }
        return out;
    }

    /** The full EC57 confusion matrix [6][5] with ModelSpec.beatClass itself, fold 0/1 or 2 = pooled. */
    long[][] confusion(int which, java.util.function.IntUnaryOperator classOf, int recFilter) {
        long[][] m = new long[6][5];
        for (int i = 0; i < n; i++) {
            if (label[i] < 0 || (which < 2 && fold[i] != which) || (recFilter >= 0 && rec[i] != recFilter)) continue;
            m[label[i]][classOf.applyAsInt(i)]++;
        }
        for (int r = 0; r < recNames.size(); r++) {
            if ((which < 2 && recFold.get(r) != which) || (recFilter >= 0 && r != recFilter)) continue;
            for (int k = 0; k < 5; k++) m[k][4] += recMissed.get(r)[k];
        }
        return m;
    }

    static double[] ec57(long[][] m, int c) throws ReflectiveOperationException {
        return (double[]) EC57.invoke(null, m, c);
    }

    // =====================================================================================
    // Report
    // =====================================================================================

    @SuppressWarnings("unchecked")
    void report(Path cardModel, Path csv) throws Exception {
        PrintWriterOut o = new PrintWriterOut();
        prepare();
        o.p("Folds: A = records " + FOLD_RECORDS[0] + " scored by " + FOLD_DIRS[0] + "; B = records " + FOLD_RECORDS[1]
                + " scored by " + FOLD_DIRS[1]);
        o.p(String.format(Locale.ROOT, "reference beats counted (incl. missed): S A=%d B=%d, V A=%d B=%d; candidate beats %d of %d",
                refS[0][0], refS[1][0], refV[0][0], refV[1][0], cand.length, n));

        // ---- 1. baseline reproduction with ModelSpec.beatClass itself and Evaluator.ec57 ----
        o.p("\n== 1. Baseline (current ModelSpec constants: " + ModelSpec.beatClassRule() + ")");
        long[][] pooled = confusion(2, i -> ModelSpec.beatClass(sc, rr, irg, lr, tr, i), -1);
        o.p("pooled confusion (rows N S V F Q O; cols N S V F missed):");
        for (long[] row : pooled) o.p("   " + Arrays.toString(row));
        long[][] published = null;
        for (Map<String, Object> e : (List<Map<String, Object>>) ModelCard.read(cardModel).get("evaluations")) {
            if (String.valueOf(e.get("command")).contains("--fold-model") && e.containsKey("confusion_rows_NSVFQO")) {
                List<List<Number>> rows = (List<List<Number>>) e.get("confusion_rows_NSVFQO");
                published = rows.stream().map(r -> r.stream().mapToLong(Number::longValue).toArray()).toArray(long[][]::new);
                o.p("published (" + cardModel + " card, " + e.get("date") + "): " + e.get("lines"));
            }
        }
        if (published != null) {
            o.p("confusion identical to the published one: " + Arrays.deepEquals(published, pooled));
            if (!Arrays.deepEquals(published, pooled)) {
                o.p("published confusion:");
                for (long[] row : published) o.p("   " + Arrays.toString(row));
            }
        }
        for (int f = 0; f < 3; f++) {
            long[][] m = f == 2 ? pooled : confusion(f, i -> ModelSpec.beatClass(sc, rr, irg, lr, tr, i), -1);
            double[] v = ec57(m, 2), s = ec57(m, 1);
            o.p(String.format(Locale.ROOT, "%-6s (Evaluator.ec57): VEB Se=%.2f +P=%.2f  SVEB Se=%.2f +P=%.2f", f == 2 ? "pooled" : "fold " + FOLD_NAMES[f],
                    v[0], v[1], s[0], s[1]));
        }
        // the parametric rule at the current constants equals ModelSpec.beatClass on every beat
        long diff = 0;
        for (int i = 0; i < n; i++) if (BASE.cls(sc, rr, irg, lr, tr, i) != ModelSpec.beatClass(sc, rr, irg, lr, tr, i)) diff++;
        Res[] b = eval(BASE);
        double[] pv = ec57(pooled, 2), ps = ec57(pooled, 1);
        boolean same = diff == 0 && Math.abs(b[2].vSe() - pv[0]) < 1e-9 && Math.abs(b[2].vPp() - pv[1]) < 1e-9
                && Math.abs(b[2].sSe() - ps[0]) < 1e-9 && Math.abs(b[2].sPp() - ps[1]) < 1e-9;
        o.p("sweep rule at current constants == ModelSpec.beatClass on all " + n + " detections and fast counting == ec57: " + same
                + (diff > 0 ? " (" + diff + " beats differ)" : ""));
        if (!same) throw new IllegalStateException("the sweep does not reproduce the evaluator; fix before trusting it");

        perRecord(o, BASE, "baseline");
        diagnostics(o);

        // ---- 2. one-at-a-time sweeps ----
        o.p("\n== 2. One constant at a time (others at current values). Columns per fold: SVEB Se +P, VEB Se +P");
        String hdr = String.format("%-44s | %-27s | %-27s | %-27s", "rule", "fold A: S Se  S+P  V Se  V+P",
                "fold B: S Se  S+P  V Se  V+P", "pooled: S Se  S+P  V Se  V+P");
        o.p(hdr);
        for (float pr : range(0.75f, 0.95f, 0.01f)) line(o, new Rule(pr, BASE.irr(), BASE.af(), BASE.v(), BASE.vPre(), 0, 1f, BASE.lp(), BASE.tl()));
        o.p("");
        for (float irr : new float[] {0.06f, 0.08f, 0.1f, 0.12f, 0.15f, 0.2f, 0.3f, 9f}) line(o, BASE.withIrr(irr));
        o.p("");
        for (float vp : new float[] {0.03f, 0.05f, 0.08f, 0.1f, 0.15f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.8f}) line(o, BASE.withVPre(vp));
        o.p("");
        for (float v : new float[] {0.6f, 0.7f, 0.8f, 0.9f, 0.95f}) line(o, BASE.withV(v));
        o.p("");
        for (float af : new float[] {0.3f, 0.5f, 0.7f, 9f}) line(o, BASE.withAf(af));
        o.p("");
        for (float lp : new float[] {0f, 0.6f, 0.65f, 0.7f, 0.75f, 0.8f}) line(o, BASE.withLp(lp));
        o.p("");
        for (float tl : new float[] {0f, 0.2f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f, 0.6f}) line(o, BASE.withTl(tl));
        o.p("");
        for (int mode = 1; mode <= 3; mode++) {
            for (float t : mode == 2 ? new float[] {0.1f, 0.2f, 0.3f, 0.5f} : new float[] {0.3f, 0.5f, 0.7f, 0.9f}) {
                line(o, new Rule(BASE.pr(), BASE.irr(), BASE.af(), BASE.v(), BASE.vPre(), mode, t, BASE.lp(), BASE.tl()));
            }
        }
        o.p("");
        o.p("premature ratio x irregularity gate (vPre, v, af at current values):");
        for (float irr : new float[] {0.1f, 0.2f, 9f}) {
            for (float pr : new float[] {0.8f, 0.85f, 0.88f, 0.9f, 0.92f, 0.95f}) line(o, new Rule(pr, irr, BASE.af(), BASE.v(), BASE.vPre(), 0, 1f, BASE.lp(), BASE.tl()));
        }

        // ---- 3. full grid, cross-fold selection ----
        List<Rule> grid = new ArrayList<>();
        float[] prs = range(0.75f, 0.95f, 0.01f);
        float[] irrs = {0.06f, 0.08f, 0.1f, 0.12f, 0.15f, 0.2f, 0.3f, 9f};
        float[] vPres = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        float[] vs = {0.7f, 0.8f, 0.9f};
        float[] afs = {0.3f, 0.5f, 0.7f, 9f};
        for (float pr : prs) for (float irr : irrs) for (float vp : vPres) for (float v : vs) for (float af : afs) {
            if (vp > v) continue;
            for (float lp : new float[] {0f, 0.65f, 0.7f, 0.75f}) grid.add(new Rule(pr, irr, af, v, vp, 0, 1f, lp, BASE.tl()));
            for (float t : new float[] {0.5f, 0.7f, 0.9f}) grid.add(new Rule(pr, irr, af, v, vp, 1, t, BASE.lp(), BASE.tl()));
            for (float t : new float[] {0.1f, 0.2f, 0.3f}) grid.add(new Rule(pr, irr, af, v, vp, 2, t, BASE.lp(), BASE.tl()));
        }
        long t0 = System.nanoTime();
        Map<Rule, Res[]> res = new LinkedHashMap<>();
        for (Rule r : grid) res.put(r, eval(r));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println("pr,irr,af,v,vPre,sMode,sThr,lp,tl,A_sSe,A_sPp,A_vSe,A_vPp,B_sSe,B_sPp,B_vSe,B_vPp,P_sSe,P_sPp,P_vSe,P_vPp");
            for (var e : res.entrySet()) {
                Rule r = e.getKey();
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f,%.2f,%s,%.2f,%.2f,%.2f",
                        r.pr(), r.irr(), r.af(), r.v(), r.vPre(), S_MODES[r.sMode()], r.sThr(), r.lp(), r.tl()));
                for (Res x : e.getValue()) sb.append(String.format(Locale.ROOT, ",%.3f,%.3f,%.3f,%.3f", x.sSe(), x.sPp(), x.vSe(), x.vPp()));
                w.println(sb);
            }
        }
        o.p(String.format(Locale.ROOT, "\n== 3. Grid: %d settings in %.1f s, written to %s", grid.size(), (System.nanoTime() - t0) / 1e9, csv));

        // Criteria 1 and 2 were fixed before looking at the grid; criterion 3 (S-side constants only, V constants and
        // the S column as now) was added after seeing that 1 and 2 do not transfer between folds.
        String[] critText = {
            "Criterion 1: max SVEB Se s.t. SVEB +P >= 50 and VEB F1 >= baseline VEB F1 - 1, on the selection fold",
            "Criterion 2: max (SVEB F1 + VEB F1) on the selection fold",
            "Criterion 3 (added after 1-2): only pr, irr, af vary (v, vPre, S column as now); max SVEB F1 s.t. VEB F1 >="
                    + " baseline VEB F1 - 0.5, on the selection fold"};
        for (int crit = 0; crit < 3; crit++) {
            o.p("\n" + critText[crit]);
            o.p(hdr);
            line(o, BASE);
            Res[] cross = new Res[2]; // cross[f]: fold f scored with the setting chosen on the other fold
            for (int sel = 0; sel < 2; sel++) {
                final int fs = sel, cr = crit;
                double baseVf1 = eval(BASE)[fs].vF1();
                Comparator<Map.Entry<Rule, Res[]>> cmp = cr == 0
                        ? Comparator.<Map.Entry<Rule, Res[]>>comparingDouble(e -> e.getValue()[fs].sSe())
                                .thenComparingDouble(e -> e.getValue()[fs].sPp())
                        : cr == 1 ? Comparator.comparingDouble(e -> e.getValue()[fs].sF1() + e.getValue()[fs].vF1())
                        : Comparator.comparingDouble(e -> e.getValue()[fs].sF1());
                var best = res.entrySet().stream()
                        .filter(e -> switch (cr) {
                            case 0 -> e.getValue()[fs].sPp() >= 50 && e.getValue()[fs].vF1() >= baseVf1 - 1;
                            case 1 -> true;
                            default -> e.getKey().sMode() == 0 && e.getKey().v() == BASE.v() && e.getKey().vPre() == BASE.vPre()
                                    && e.getValue()[fs].vF1() >= baseVf1 - 0.5;
                        })
                        .max(cmp).orElseThrow();
                o.p("chosen on fold " + FOLD_NAMES[sel] + ", reported on fold " + FOLD_NAMES[1 - sel] + ":");
                line(o, best.getKey());
                cross[1 - sel] = best.getValue()[1 - sel];
            }
            // cross-fitted pooled: each fold scored by the setting chosen on the other one
            double tpS = 0, pS = 0, tpV = 0, pV = 0;
            for (int f = 0; f < 2; f++) {
                double ts = cross[f].sSe() / 100 * refS[f][0], tv = cross[f].vSe() / 100 * refV[f][0];
                tpS += ts;
                pS += ts == 0 ? 0 : ts / (cross[f].sPp() / 100);
                tpV += tv;
                pV += tv == 0 ? 0 : tv / (cross[f].vPp() / 100);
            }
            o.p(String.format(Locale.ROOT, "cross-fitted pooled (each fold scored by the other fold's choice): SVEB Se=%.2f +P=%.2f"
                    + "  VEB Se=%.2f +P=%.2f", 100 * tpS / (refS[0][0] + refS[1][0]), 100 * tpS / pS,
                    100 * tpV / (refV[0][0] + refV[1][0]), 100 * tpV / pV));
        }

        // robustness: the settings whose worse fold is best (uses both folds: a description of the
        // landscape, not an unbiased estimate)
        o.p("\nRobust view (uses both folds, so optimistic): top 15 by min over folds of (SVEB F1 + VEB F1)");
        o.p(hdr);
        res.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<Rule, Res[]> e) ->
                        -Math.min(e.getValue()[0].sF1() + e.getValue()[0].vF1(), e.getValue()[1].sF1() + e.getValue()[1].vF1())))
                .limit(15).forEach(e -> line(o, e.getKey()));
        o.p("\nTarget check: settings with SVEB Se >= 70 and +P >= 50 on BOTH folds: " + res.values().stream()
                .filter(x -> x[0].sSe() >= 70 && x[0].sPp() >= 50 && x[1].sSe() >= 70 && x[1].sPp() >= 50).count()
                + "; also VEB Se >= 90 and +P >= 90 on both: " + res.values().stream()
                .filter(x -> x[0].sSe() >= 70 && x[0].sPp() >= 50 && x[1].sSe() >= 70 && x[1].sPp() >= 50
                        && x[0].vSe() >= 90 && x[0].vPp() >= 90 && x[1].vSe() >= 90 && x[1].vPp() >= 90).count()
                + "; pooled SVEB only: " + res.values().stream().filter(x -> x[2].sSe() >= 70 && x[2].sPp() >= 50).count());
        o.p("Max SVEB Se with SVEB +P >= 50 (no VEB constraint), per fold, in-sample: A "
                + String.format(Locale.ROOT, "%.2f", res.values().stream().filter(x -> x[0].sPp() >= 50).mapToDouble(x -> x[0].sSe()).max().orElse(0))
                + ", B " + String.format(Locale.ROOT, "%.2f", res.values().stream().filter(x -> x[1].sPp() >= 50).mapToDouble(x -> x[1].sSe()).max().orElse(0)));

        String cand = System.getProperty("sweep.show");
        if (cand != null) {
            for (String spec : cand.split(";")) {
                String[] p = spec.split(",");
                Rule r = new Rule(Float.parseFloat(p[0]), Float.parseFloat(p[1]), Float.parseFloat(p[2]), Float.parseFloat(p[3]),
                        Float.parseFloat(p[4]), p.length > 5 ? Integer.parseInt(p[5]) : 0, p.length > 6 ? Float.parseFloat(p[6]) : 1f,
                        p.length > 7 ? Float.parseFloat(p[7]) : BASE.lp(), p.length > 8 ? Float.parseFloat(p[8]) : BASE.tl());
                o.p("");
                o.p(hdr);
                line(o, BASE);
                line(o, r);
                perRecord(o, r, r.text());
            }
        }
    }

    void line(PrintWriterOut o, Rule r) {
        Res[] x = eval(r);
        o.p(String.format("%-44s | %s | %s | %s", r.text(), x[0].text(), x[1].text(), x[2].text()));
    }

    void perRecord(PrintWriterOut o, Rule r, String what) throws ReflectiveOperationException {
        o.p("\nper record, " + what + " (ref S / ref V beats incl. missed; Se/+P; '-' = none):");
        o.p(String.format("%-5s %-4s %6s %7s %7s %6s %8s | %6s %7s %7s", "fold", "rec", "S ref", "S Se", "S +P", "S FP",
                "FP in AF", "V ref", "V Se", "V +P"));
        for (int k = 0; k < recNames.size(); k++) {
            long[][] m = confusion(recFold.get(k), i -> r.cls(sc, rr, irg, lr, tr, i), k);
            double[] s = ec57(m, 1), v = ec57(m, 2);
            long sRef = Arrays.stream(m[1]).sum(), vRef = Arrays.stream(m[2]).sum();
            long fp = 0, fpAf = 0;
            for (int i = 0; i < n; i++) {
                if (rec[i] != k || label[i] < 0 || label[i] == 1 || r.cls(sc, rr, irg, lr, tr, i) != 1) continue;
                fp++;
                if (inAf[i] == 1) fpAf++;
            }
            o.p(String.format(Locale.ROOT, "%-5s %-4s %6d %7s %7s %6d %8d | %6d %7s %7s", FOLD_NAMES[recFold.get(k)], recNames.get(k),
                    sRef, f(s[0]), f(s[1]), fp, fpAf, vRef, f(v[0]), f(v[1])));
        }
    }

    /** Where the S beats are: prematurity, gates, model S score, AF. */
    void diagnostics(PrintWriterOut o) {
        o.p("\nDiagnostics of matched reference S beats (per fold) vs N beats:");
        for (int f = 0; f < 2; f++) {
            for (int cls : new int[] {1, 0}) {
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < n; i++) if (fold[i] == f && label[i] == cls) idx.add(i);
                int m = idx.size();
                double[] ratio = idx.stream().mapToDouble(i -> rr[i * 6 + 3]).sorted().toArray();
                long p85 = idx.stream().filter(i -> rr[i * 6 + 3] < 0.85f).count();
                long p90 = idx.stream().filter(i -> rr[i * 6 + 3] < 0.90f).count();
                long p95 = idx.stream().filter(i -> rr[i * 6 + 3] < 0.95f).count();
                long irr = idx.stream().filter(i -> rr[i * 6 + 3] < ModelSpec.PREMATURE_RATIO && irg[i] >= ModelSpec.RR_IRREGULAR).count();
                long afg = idx.stream().filter(i -> rr[i * 6 + 3] < ModelSpec.PREMATURE_RATIO && sc[i * 6 + 4] >= ModelSpec.AF_GATE).count();
                long vcall = idx.stream().filter(i -> rr[i * 6 + 3] < 0.85f && sc[i * 6 + 2] >= 0.2f).count();
                long ps5 = idx.stream().filter(i -> sc[i * 6 + 1] >= 0.5f).count();
                long af = idx.stream().filter(i -> inAf[i] == 1).count();
                o.p(String.format(Locale.ROOT,
                        "fold %s %s: %d beats; pre-RR ratio median %.2f; premature <0.85 %.1f%%, <0.90 %.1f%%, <0.95 %.1f%%;"
                                + " of all: premature but irregularity>=" + ModelSpec.RR_IRREGULAR + " %.1f%%, premature but P(AF)>=" + ModelSpec.AF_GATE + " %.1f%%,"
                                + " premature but P(V)>=0.2 %.1f%%; P(S)>=0.5 %.1f%%; in reference AF/AFL %.1f%%",
                        FOLD_NAMES[f], cls == 1 ? "S" : "N", m, m == 0 ? Double.NaN : ratio[m / 2], pct(p85, m), pct(p90, m), pct(p95, m),
                        pct(irr, m), pct(afg, m), pct(vcall, m), pct(ps5, m), pct(af, m)));
            }
        }
        o.p("S beats per record (matched): not premature at 0.85 / at 0.95, of total:");
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < recNames.size(); k++) {
            long tot = 0, np85 = 0, np95 = 0;
            for (int i = 0; i < n; i++) {
                if (rec[i] != k || label[i] != 1) continue;
                tot++;
                if (rr[i * 6 + 3] >= 0.85f) np85++;
                if (rr[i * 6 + 3] >= 0.95f) np95++;
            }
            if (tot > 0) sb.append(String.format(Locale.ROOT, " %s:%d/%d/%d", recNames.get(k), np85, np95, tot));
        }
        o.p(sb.toString());
    }

    static double pct(long a, long b) {
        return b == 0 ? Double.NaN : 100.0 * a / b;
    }

    static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static float[] range(float from, float to, float step) {
        int k = Math.round((to - from) / step) + 1;
        float[] r = new float[k];
        for (int i = 0; i < k; i++) r[i] = (float) (Math.round((from + i * step) * 100) / 100.0);
        return r;
    }

    static final class PrintWriterOut {
        void p(String s) {
            System.out.println(s);
        }
    }

    private BeatRuleSweep() {}
}
