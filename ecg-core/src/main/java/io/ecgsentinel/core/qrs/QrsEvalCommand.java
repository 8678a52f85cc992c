package io.ecgsentinel.core.qrs;

import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.qrs.QrsEvaluation.RecordResult;
import io.ecgsentinel.core.qrs.QrsEvaluation.Summary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./ecg qrs-eval}: runs the real-time QRS detector over every annotated record of a WFDB
 * directory and scores it beat by beat against the reference annotations (EC57 / bxb rules, see
 * {@link BeatMatcher}). Records whose reference beats are mostly paced are reported apart and left
 * out of the gross totals unless {@code --include-paced}.
 */
@Command(
        name = "qrs-eval",
        mixinStandardHelpOptions = true,
        description = {
            "Run the real-time QRS detector over the annotated records (.atr) of a WFDB directory and"
                    + " score it beat by beat (EC57/bxb: 150 ms match window, whole record, no learning"
                    + " period excluded, beats in reference VF episodes [ ... ] excluded).",
            "Records whose reference beats are >= 50%% paced (/ or f) are reported apart and left out of"
                    + " the totals unless --include-paced. The last line is"
                    + " 'GROSS Se=<percent> +P=<percent>'."
        })
public final class QrsEvalCommand implements Callable<Integer>, EcgSubcommand {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "WFDB directory with .hea/.dat/.atr files (default: the mitdb folder of the"
                    + " ECG data directory: -Decg.data.dir, ECG_DATA_DIR or ../shared/data)")
    Path data;

    @Option(names = "--records", split = ",", paramLabel = "REC",
            description = "Records to evaluate, comma separated (default: every record with an .atr file)")
    List<String> records = new ArrayList<>();

    @Option(names = "--include-paced", description = "Count paced records in the gross totals too")
    boolean includePaced;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write each record's detected beats to DIR/<record>.qrs (WFDB MIT format, code N)")
    Path out;

    @Option(names = "--lead", split = ",", arity = "1..*", paramLabel = "NAME",
            description = "Use only these leads (e.g. --lead MLII or --lead MLII,V1); a record that has none"
                    + " of them uses all its leads (listed after the table). Default: all leads")
    List<String> leads = new ArrayList<>();

    @Option(names = "--chunk", paramLabel = "SAMPLES", defaultValue = "" + QrsEvaluation.DEFAULT_CHUNK,
            description = "Samples per lead fed to the detector per call, as a device frame would"
                    + " (default: ${DEFAULT-VALUE}; the result does not depend on it)")
    int chunk;

    @Override
    public int helpOrder() {
        return 60;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = dataDirectory();
        if (chunk < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk must be at least 1, got " + chunk);
        }
        List<String> available = QrsEvaluation.annotatedRecords(dir);
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(records.stream().map(String::strip)
                .filter(r -> !r.isEmpty()).toList()));
        if (wanted.isEmpty()) {
            if (available.isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "--data: " + dir + " holds no annotated record (no <record>.atr next to a <record>.hea)");
            }
            wanted = available;
        } else {
            List<String> missing = wanted.stream().filter(r -> !available.contains(r)).toList();
            if (!missing.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--records: no annotated record "
                        + String.join(", ", missing) + " in " + dir + " (need <record>.hea and <record>.atr)");
            }
        }
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new ParameterException(spec.commandLine(), "--out: " + out + " exists and is not a directory");
            }
            Files.createDirectories(out);
        }
        List<RecordResult> results = QrsEvaluation.evaluateAll(dir, wanted, leads,
                QrsDetector.Settings.defaults(), chunk, QrsEvaluation.defaultThreads());
        if (!leads.isEmpty() && results.stream().noneMatch(r -> r.leadsMatched())) {
            throw new ParameterException(spec.commandLine(), "--lead: no record has a lead named "
                    + String.join(" or ", leads));
        }
        if (out != null) {
            for (RecordResult r : results) {
                QrsEvaluation.writeBeats(out.resolve(r.record() + ".qrs"), r.beats());
            }
        }
        print(spec.commandLine().getOut(), dir, results);
        return 0;
    }

    private Path dataDirectory() {
        if (data != null) {
            if (!Files.isDirectory(data)) {
                throw new ParameterException(spec.commandLine(), "--data: " + data + " is not a directory");
            }
            return data;
        }
        try {
            return DataDirs.resolve("mitdb");
        } catch (IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), "--data not given and the default is unusable: "
                    + e.getMessage());
        }
    }

    private void print(PrintWriter w, Path dir, List<RecordResult> results) {
        QrsDetector probe = new QrsDetector(results.isEmpty() ? 360 : results.get(0).fs(), 1);
        w.printf(Locale.ROOT, "QRS detection on %s (%s)%n", dir, leads.isEmpty() ? "all leads" : "leads " + leads);
        w.printf(Locale.ROOT, "Scoring: beat by beat, 150 ms match window, whole record, VF episodes excluded;"
                + " detector decides a beat <= %.2f s after its R peak (search-back <= 3.2 s)%n",
                probe.maxRegularDelaySeconds());
        w.println();
        String header = String.format(Locale.ROOT, "%-8s %7s %7s %5s %5s %7s %7s", "record", "ref", "TP", "FN", "FP",
                "Se%", "+P%");
        List<RecordResult> regular = results.stream().filter(r -> !r.paced()).toList();
        List<RecordResult> paced = results.stream().filter(RecordResult::paced).toList();
        w.println(header);
        regular.forEach(r -> w.println(QrsEvaluation.row(r)));
        if (!paced.isEmpty()) {
            w.println();
            w.println("Paced records (>= 50% paced reference beats; "
                    + (includePaced ? "included in" : "not in") + " the totals):");
            w.println(header);
            paced.forEach(r -> w.println(QrsEvaluation.row(r)));
        }
        List<String> fallback = results.stream().filter(r -> !leads.isEmpty() && !r.leadsMatched())
                .map(RecordResult::record).toList();
        if (!fallback.isEmpty()) {
            w.println();
            w.println("No lead named " + String.join("/", leads) + " in " + String.join(", ", fallback)
                    + ": all leads used there");
        }
        List<RecordResult> counted = includePaced ? results : regular;
        Summary s = Summary.of(counted);
        w.println();
        w.printf(Locale.ROOT, "%-8s %7d %7d %5d %5d %7.2f %7.2f   (%d records)%n", "TOTAL", s.referenceBeats(),
                s.truePositives(), s.falseNegatives(), s.falsePositives(), s.sensitivity(),
                s.positivePredictivity(), counted.size());
        w.println(s.grossLine());
        w.flush();
    }
}
