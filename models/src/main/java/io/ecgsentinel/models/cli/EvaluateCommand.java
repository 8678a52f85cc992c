package io.ecgsentinel.models.cli;

import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.models.data.DatasetBuilder;
import io.ecgsentinel.models.eval.Evaluator;
import io.ecgsentinel.models.serve.DefaultModel;
import io.ecgsentinel.models.serve.EcgModel;
import io.ecgsentinel.models.train.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ecg evaluate}: EC57-style beat evaluation or PTB-XL record-level AUCs of a model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a WFDB directory with beat annotations (MIT-BIH style: EC57 Se/+P per class)"
                + " or on a PTB-XL-style directory (ptbxl_database.csv: record-level AUCs).",
                "The last lines are machine-readable: 'VEB Se=.. +P=..' and 'SVEB Se=.. +P=..', or 'AUC_NORM_VS_ABNORMAL=..'."})
public final class EvaluateCommand implements Callable<Integer>, EcgSubcommand {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "model directory (default: the default model, models/ecg-lstm/<latest>)")
    Path model;

    @Option(names = "--data", required = true, description = "WFDB directory with .atr annotations, or a PTB-XL directory")
    Path data;

    @Option(names = "--out", description = "write plots, strips, <record>.cls annotation files / scores.csv here")
    Path out;

    @Option(names = "--records", split = ",", description = "only these records (beat-annotated data)")
    List<String> records;

    @Option(names = "--folds", split = ",", description = "only these strat_folds (PTB-XL)")
    List<Integer> folds;

    @Option(names = "--include-paced", description = "also score the paced MIT-BIH records 102, 104, 107, 217 (excluded by AAMI)")
    boolean includePaced;

    @Option(names = "--annotator", defaultValue = "atr", description = "reference annotator (default: ${DEFAULT-VALUE})")
    String annotator;

    @Option(names = "--fold-model", description = "cross-validation: DIR=rec1,rec2,... scores those records with the"
            + " model in DIR (trained without them); repeatable; other records use --model")
    List<String> foldModels;

    @Option(names = "--card", description = "with --update-card: record into this model directory's card (default: --model)")
    Path cardDir;

    @Option(names = "--update-card", description = "record this evaluation (command, metrics, final lines) in the model card")
    boolean updateCard;

    @Override
    public int helpOrder() {
        return 61;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        Path dir = model != null ? model : DefaultModel.path();
        if (!Files.isDirectory(data)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data " + data + " is not a directory");
        }
        Map<String, Object> card;
        try {
            card = ModelCard.read(dir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("model directory " + dir.toAbsolutePath() + " has no readable "
                    + ModelCard.FILE + ": " + e.getMessage());
        }
        Map<String, Object> input = (Map<String, Object>) card.get("input");
        PreprocessingConfig cfg = PreprocessingConfig.fromMap((Map<String, ?>) input.get("preprocessing"));
        if (out != null) Files.createDirectories(out);
        java.io.PrintStream pw = System.out;
        pw.println("model: " + dir.toAbsolutePath().normalize() + " (" + card.get("name") + " v" + card.get("version") + ")");
        long t0 = System.nanoTime();
        Map<String, Object> res;
        String note;
        Map<String, EcgModel> byRecord = new LinkedHashMap<>();
        List<EcgModel> opened = new ArrayList<>();
        try (EcgModel m = EcgModel.load(dir)) {
            for (String fm : foldModels == null ? List.<String>of() : foldModels) {
                int eq = fm.indexOf('=');
                if (eq < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--fold-model needs DIR=records: " + fm);
                Map<String, Object> fc = ModelCard.read(Path.of(fm.substring(0, eq)));
                List<Object> ftrain = (List<Object>) ((Map<String, Object>) ((Map<String, Object>) fc.get("training"))
                        .get("split")).getOrDefault("mitdb_train_records", List.of());
                for (String rec : fm.substring(eq + 1).split(",")) {
                    if (ftrain.contains(rec.strip())) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--fold-model " + fm.substring(0, eq)
                                + " was trained on record " + rec.strip() + ": it cannot score it in cross-validation");
                    }
                }
                EcgModel f = EcgModel.load(Path.of(fm.substring(0, eq)));
                opened.add(f);
                for (String rec : fm.substring(eq + 1).split(",")) byRecord.put(rec.strip(), f);
                pw.println("cross-validation model " + f.directory() + " scores records " + fm.substring(eq + 1));
            }
            if (records == null && !byRecord.isEmpty()) records = new ArrayList<>(byRecord.keySet());
            Evaluator ev = new Evaluator(m, r -> byRecord.getOrDefault(r, m), cfg, pw, out);
            Map<String, Object> split = (Map<String, Object>) ((Map<String, Object>) card.get("training")).get("split");
            if (Files.isRegularFile(data.resolve("ptbxl_database.csv"))) {
                List<Integer> f = folds == null ? List.of() : folds;
                note = "PTB-XL record-level" + (f.isEmpty() ? ", all folds" : ", folds " + f);
                List<Object> trained = (List<Object>) split.getOrDefault("ptbxl_train_folds", List.of());
                boolean overlap = f.isEmpty() ? !trained.isEmpty()
                        : f.stream().anyMatch(x -> trained.stream().anyMatch(t -> ((Number) t).intValue() == x));
                if (overlap) {
                    note += "; INCLUDES folds the model was trained on: not a held-out estimate";
                    pw.println("WARNING: these folds include the model's training folds " + trained + ": not a held-out estimate.");
                }
                res = ev.ptbxl(data, f);
            } else {
                List<String> all = new ArrayList<>(records != null ? records : DatasetBuilder.recordNames(data));
                List<String> names = new ArrayList<>(all);
                names.removeIf(n -> !Files.isRegularFile(data.resolve(n + "." + annotator)));
                if (!includePaced && records == null) names.removeAll(DatasetBuilder.MITDB_PACED);
                if (names.isEmpty()) {
                    // no beat annotations: records labelled by their headers (CinC 2021, PTB Diagnostic)
                    pw.println("no ." + annotator + " beat annotations in " + data
                            + ": record-level evaluation from the diagnoses in the headers");
                    note = "record-level, header diagnoses (CinC '# Dx:' / PTB '# Reason for admission:'), "
                            + all.size() + " records";
                    if (split.keySet().stream().noneMatch(k -> k.startsWith("cinc") || k.startsWith("ptbdb"))) {
                        note += "; the model's training split has no CinC 2021 or PTB Diagnostic record: held out";
                    }
                    res = ev.headerLabelled(data, all);
                } else {
                    note = "EC57 beat-by-beat, " + names.size() + " records, detected beats";
                    List<Object> trained = (List<Object>) split.getOrDefault("mitdb_train_records", List.of());
                    List<String> seen = names.stream().filter(n -> !byRecord.containsKey(n) && trained.contains(n)).toList();
                    if (!seen.isEmpty() && data.getFileName().toString().equals("mitdb")) {
                        note += "; INCLUDES " + seen.size() + " records the model was trained on: not a held-out estimate";
                        pw.println("WARNING: " + seen.size() + " of these records were used to train this model: not a held-out estimate.");
                    } else if (!byRecord.isEmpty()) {
                        note += "; cross-validation: each record scored by a model trained without its patient";
                    }
                    res = ev.beats(data, names, annotator);
                }
            }
        } finally {
            opened.forEach(EcgModel::close);
        }
        if (updateCard) {
            Map<String, Object> e = new LinkedHashMap<>();
            String args = String.join(" ", CliArgs.own(spec));
            e.put("key", data.toAbsolutePath().normalize().getFileName() + "|" + records + "|" + folds);
            e.put("command", ("./ecg evaluate " + args).trim());
            e.put("note", note + "; scored by " + (byRecord.isEmpty() ? dir.toAbsolutePath().normalize()
                    : "cross-validation models " + foldModels));
            e.put("date", Instant.now().toString());
            e.put("seconds", Math.round((System.nanoTime() - t0) / 1e9));
            e.putAll(res);
            Path cardTo = cardDir != null ? cardDir : dir;
            ModelCard.stampDecisionRule(cardTo);
            ModelCard.addEvaluation(cardTo, e);
        }
        List<String> lines = (List<String>) res.get("lines");
        pw.flush();
        return lines.isEmpty() ? 1 : 0;
    }
}
