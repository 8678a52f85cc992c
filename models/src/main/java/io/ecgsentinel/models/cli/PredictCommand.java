package io.ecgsentinel.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.io.CsvRecordReader;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.eval.RecordScorer;
import io.ecgsentinel.models.input.RecordPipeline;
import io.ecgsentinel.models.serve.DefaultModel;
import io.ecgsentinel.models.serve.EcgModel;
import io.ecgsentinel.models.train.ModelCard;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ecg predict}: one record in, a verdict out. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score one record (WFDB .hea or CSV) with the LSTM beat model: classes with probabilities,"
                + " beats and heart rate, anomalous segments with their times.")
public final class PredictCommand implements Callable<Integer>, EcgSubcommand {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, description = "a WFDB header (.hea) or a CSV file")
    Path input;

    @Option(names = "--fs", description = "sampling rate of a CSV without a time column (Hz)")
    Double fs;

    @Option(names = "--model", description = "model directory (default: the default model)")
    Path model;

    @Option(names = "--json", description = "machine-readable JSON output")
    boolean json;

    @Option(names = "--threshold", description = "anomaly score threshold (default: the model card's)")
    Double threshold;

    @Override
    public int helpOrder() {
        return 62;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        if (!Files.isRegularFile(input)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input " + input + " is not a file");
        }
        EcgSignal sig = input.toString().toLowerCase(Locale.ROOT).endsWith(".hea")
                ? EcgSignal.read(input)
                : CsvRecordReader.read(input, fs);
        Path dir = model != null ? model : DefaultModel.path();
        Map<String, Object> card = ModelCard.read(dir);
        PreprocessingConfig cfg = PreprocessingConfig.fromMap(
                (Map<String, ?>) ((Map<String, Object>) card.get("input")).get("preprocessing"));
        double thr = threshold != null ? threshold
                : ((Number) ((Map<String, Object>) card.get("thresholds")).get("anomaly_score")).doubleValue();
        RecordPipeline.Processed p = RecordPipeline.process(sig, cfg);
        EcgModel.Scores s;
        try (EcgModel m = EcgModel.load(dir); EcgModel.Scorer sc = m.newScorer()) {
            s = new RecordScorer().score(sc, p);
        }
        Map<String, Object> r = verdict(sig, p, s, thr);
        r.put("model", dir.toAbsolutePath().normalize().toString());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            print(out, r);
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> verdict(EcgSignal sig, RecordPipeline.Processed p, EcgModel.Scores s, double thr) {
        int n = s.n;
        double fsIn = p.inputFs();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("record", sig.name());
        r.put("duration_s", round(sig.length() / fsIn));
        r.put("sampling_rate_hz", fsIn);
        r.put("leads_used", p.leadsUsed());
        r.put("beats", n);
        double[] rr = new double[Math.max(0, n - 1)];
        for (int i = 1; i < n; i++) rr[i - 1] = (p.beatsInput()[i] - p.beatsInput()[i - 1]) / fsIn;
        double[] sorted = rr.clone();
        Arrays.sort(sorted);
        r.put("heart_rate_bpm", sorted.length == 0 ? null : round(60.0 / sorted[sorted.length / 2]));
        int[] counts = new int[4];
        double[] meanScores = new double[6];
        double[] meanSup = new double[5];
        for (int i = 0; i < n; i++) {
            counts[RecordScorer.beatClass(s, i)]++;
            for (int c = 0; c < 6; c++) meanScores[c] += s.scores[i * 6 + c] / n;
            for (int c = 0; c < 5; c++) meanSup[c] += s.superclass[i * 5 + c] / n;
        }
        Map<String, Object> beatClasses = new LinkedHashMap<>();
        for (int c = 0; c < 4; c++) beatClasses.put(ModelSpec.BEAT_CLASSES.get(c), counts[c]);
        r.put("beat_classes", beatClasses);
        Map<String, Object> probs = new LinkedHashMap<>();
        // record-level probabilities: share of beats for ectopy classes, mean probability for rhythm/morphology
        probs.put("normal", n == 0 ? null : round(meanScores[0]));
        probs.put("supraventricular_ectopy", n == 0 ? null : round(meanScores[1]));
        probs.put("ventricular_ectopy", n == 0 ? null : round(meanScores[2]));
        probs.put("fusion", n == 0 ? null : round(meanScores[3]));
        probs.put("atrial_fibrillation", n == 0 ? null : round(meanScores[4]));
        probs.put("abnormal_morphology", n == 0 ? null : round(meanScores[5]));
        r.put("class_probabilities_mean_over_beats", probs);
        Map<String, Object> sup = new LinkedHashMap<>();
        for (int c = 0; c < 5; c++) sup.put(ModelSpec.SUPERCLASSES.get(c), round(meanSup[c]));
        r.put("superclass_probabilities", sup);
        List<String> findings = new ArrayList<>();
        if (n == 0) findings.add("no beats detected (flat, noisy or too short signal)");
        if (counts[2] > 0) findings.add(String.format(Locale.ROOT, "ventricular ectopy: %d beats (%.1f %%)", counts[2], 100.0 * counts[2] / n));
        if (counts[1] > 0) findings.add(String.format(Locale.ROOT, "supraventricular ectopy: %d beats (%.1f %%)", counts[1], 100.0 * counts[1] / n));
        if (counts[3] > 0) findings.add(String.format(Locale.ROOT, "fusion beats: %d", counts[3]));
        if (n > 0 && meanScores[4] >= 0.5) findings.add(String.format(Locale.ROOT, "atrial fibrillation likely (P=%.2f)", meanScores[4]));
        if (n > 0 && meanScores[5] >= 0.5) {
            List<String> which = new ArrayList<>();
            for (int c = 1; c < 5; c++) if (meanSup[c] >= 0.5) which.add(ModelSpec.SUPERCLASSES.get(c));
            findings.add(String.format(Locale.ROOT, "abnormal morphology (P=%.2f)%s", meanScores[5], which.isEmpty() ? "" : " " + which));
        }
        r.put("verdict", findings.isEmpty() ? "NORMAL" : "ABNORMAL");
        r.put("findings", findings);
        // anomalous segments: runs of beats with anomaly >= thr, merged across gaps of at most 2 s
        List<Map<String, Object>> segs = new ArrayList<>();
        int i = 0;
        while (i < n) {
            if (s.anomaly[i] < thr) {
                i++;
                continue;
            }
            int j = i; // last anomalous beat of this segment
            for (int k = i + 1; k < n && (p.beatsInput()[k] - p.beatsInput()[j]) / fsIn <= 2.0; k++) {
                if (s.anomaly[k] >= thr) j = k;
            }
            int[] cc = new int[4];
            double max = 0, af = 0;
            for (int q = i; q <= j; q++) {
                if (s.anomaly[q] >= thr) cc[RecordScorer.beatClass(s, q)]++;
                max = Math.max(max, s.anomaly[q]);
                af = Math.max(af, s.scores[q * 6 + 4]);
            }
            Map<String, Object> seg = new LinkedHashMap<>();
            seg.put("start_s", round(p.beatsInput()[i] / fsIn));
            seg.put("end_s", round(p.beatsInput()[j] / fsIn));
            seg.put("anomalous_beats", cc[0] + cc[1] + cc[2] + cc[3]);
            Map<String, Object> cls = new LinkedHashMap<>();
            for (int c = 0; c < 4; c++) cls.put(ModelSpec.BEAT_CLASSES.get(c), cc[c]);
            seg.put("classes", cls);
            seg.put("max_anomaly", round(max));
            seg.put("max_af", round(af));
            segs.add(seg);
            i = j + 1;
        }
        r.put("anomaly_threshold", thr);
        r.put("anomalous_segments", segs);
        return r;
    }

    @SuppressWarnings("unchecked")
    static void print(PrintWriter out, Map<String, Object> r) {
        out.printf(Locale.ROOT, "Record %s: %.1f s at %s Hz, leads %s%n", r.get("record"), r.get("duration_s"),
                r.get("sampling_rate_hz"), r.get("leads_used"));
        out.printf("Beats detected: %s, heart rate %s bpm (median RR)%n", r.get("beats"), r.get("heart_rate_bpm"));
        out.printf("VERDICT: %s%n", r.get("verdict"));
        for (String f : (List<String>) r.get("findings")) out.println("  - " + f);
        out.println("Beat classes (ModelSpec.beatClass per beat): " + r.get("beat_classes"));
        out.println("Class probabilities (mean over beats):");
        ((Map<String, Object>) r.get("class_probabilities_mean_over_beats")).forEach((k, v) -> out.printf("  %-24s %s%n", k, v));
        out.println("Diagnostic superclass probabilities: " + r.get("superclass_probabilities"));
        List<Map<String, Object>> segs = (List<Map<String, Object>>) r.get("anomalous_segments");
        out.printf("Anomalous segments (anomaly score >= %s): %d%n", r.get("anomaly_threshold"), segs.size());
        int shown = 0;
        for (Map<String, Object> s : segs) {
            if (shown++ == 15) {
                out.printf("  ... %d more (use --json for all)%n", segs.size() - 15);
                break;
            }
            out.printf(Locale.ROOT, "  %s - %s  %3s anomalous beats %s max score %.2f%n", hms((Double) s.get("start_s")),
                    hms((Double) s.get("end_s")), s.get("anomalous_beats"), s.get("classes"), (Double) s.get("max_anomaly"));
        }
        out.println("model: " + r.get("model"));
    }

    static String hms(double sec) {
        int m = (int) (sec / 60);
        return String.format(Locale.ROOT, "%02d:%06.3f", m, sec - 60 * m);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
