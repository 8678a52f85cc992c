package io.ecgsentinel.models.cli;

import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.models.data.DatasetBuilder;
import io.ecgsentinel.models.serve.DefaultModel;
import io.ecgsentinel.models.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ecg train}: trains the LSTM beat model in Java (TensorFlow graph mode) and exports it. */
// no mixinStandardHelpOptions: its --version would clash with the model --version option
@Command(name = "train",
        description = {"Train the LSTM beat model (TensorFlow graph mode in Java) on MIT-BIH DS1, PTB-XL and CPSC 2021,"
                + " validate on held-out patients each epoch, keep the best epoch, export a SavedModel + model card."})
public final class TrainCommand implements Callable<Integer>, EcgSubcommand {

    /** MIT-BIH DS1 validation fold used for model selection (the rest of DS1 trains). */
    public static final List<String> MITDB_FOLD_B =
            List.of("106", "109", "114", "116", "119", "124", "203", "207", "215", "220", "223");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--data", description = "data directory (default: ecg.data.dir / ECG_DATA_DIR / ../shared/data)")
    Path data;

    @Option(names = "--name", defaultValue = "ecg-lstm", description = "model name (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--version", description = "version directory (default: next free number)")
    Integer version;

    @Option(names = "--out", description = "write the SavedModel here instead of models/<name>/<version>")
    Path out;

    @Option(names = "--seed", defaultValue = "7") long seed;
    @Option(names = "--members", defaultValue = "1", description = "networks to train (seeds seed, seed+1, ...) and"
            + " export as one ensemble that averages their outputs (default: ${DEFAULT-VALUE})") int members;
    @Option(names = "--epochs", defaultValue = "12") int epochs;
    @Option(names = "--batch", defaultValue = "64") int batch;
    @Option(names = "--lr", defaultValue = "0.002") float lr;
    @Option(names = "--l2", defaultValue = "0.0001") float l2;
    @Option(names = "--normal-per-epoch", defaultValue = "8000", description = "MIT-BIH N beats sampled per epoch") int normalPerEpoch;
    @Option(names = "--ptb-beats-per-record", defaultValue = "3") int ptbBeats;
    @Option(names = "--feature-dropout", defaultValue = "0.3", description = "dropout on the recurrent features (default: ${DEFAULT-VALUE})") float featureDropout;
    @Option(names = "--noise", defaultValue = "0.3", description = "max. noise augmentation in z-units (default: ${DEFAULT-VALUE})") float noise;

    @Option(names = "--mitdb-val", split = ",", description = "MIT-BIH validation records (default: ${DEFAULT-VALUE})",
            defaultValue = "106,109,114,116,119,124,203,207,215,220,223")
    List<String> mitdbVal;

    @Option(names = "--ptbxl-train-folds", split = ",", defaultValue = "1,2,3,4,5,6") List<Integer> ptbTrain;
    @Option(names = "--ptbxl-val-folds", split = ",", defaultValue = "7,8") List<Integer> ptbVal;

    @Option(names = "--all-data", description = "train on all development data (every DS1 record, PTB-XL folds 1-8);"
            + " no validation, the last epoch is kept (use after choosing hyper-parameters on held-out runs)")
    boolean allData;

    @Option(names = "--keep-last", description = "keep the last epoch even with validation data (validation is then"
            + " only reported), as a model trained with --all-data does: for cross-validation runs that estimate"
            + " what the shipped recipe gives on new patients, without choosing the epoch on them")
    boolean keepLast;

    @Option(names = "--synthetic", defaultValue = "24", description = "records from the ECG generator (VT, PVCs,"
            + " bigeminy, AF, normal; 2 min each) added to the training beats (default: ${DEFAULT-VALUE}; 0 = none)")
    int synthetic;
    @Option(names = "--no-cpsc", description = "do not use CPSC 2021 AF episodes") boolean noCpsc;

    @Option(names = "--golden", description = "where to write the golden fixture for the regression test"
            + " (default: <repo>/models/src/test/resources/golden/<name>-<version>.json)")
    Path golden;

    @Override
    public int helpOrder() {
        return 60;
    }

    @Override
    public Integer call() throws Exception {
        if (members < 1 || members > 8) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--members must be 1..8, was " + members);
        }
        Path dataDir = data != null ? data : DataDirs.resolve();
        Path mitdb = dataDir.resolve("mitdb");
        List<String> all = new ArrayList<>(DatasetBuilder.recordNames(mitdb));
        all.removeAll(DatasetBuilder.MITDB_PACED);
        List<String> val = allData ? List.of() : mitdbVal;
        List<String> train = new ArrayList<>(all);
        train.removeAll(val);
        List<Integer> ptbT = allData ? IntStream.rangeClosed(1, 8).boxed().toList() : ptbTrain;
        List<Integer> ptbV = allData ? List.of() : ptbVal;
        Path root = DefaultModel.modelsRoot();
        Path dir = out;
        if (dir == null) {
            Path base = root.resolve(name);
            int v = version != null ? version : DefaultModel.latestVersion(base)
                    .map(p -> Integer.parseInt(p.getFileName().toString()) + 1).orElse(1);
            dir = base.resolve(Integer.toString(v));
        }
        if (Files.exists(dir.resolve("saved_model.pb"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "model directory " + dir + " already exists");
        }
        Path gold = golden != null ? golden : root.resolve("src/test/resources/golden")
                .resolve(dir.getParent().getFileName() + "-" + dir.getFileName() + ".json");
        String cmd = "./ecg train " + String.join(" ", CliArgs.own(spec));
        Trainer.Options o = new Trainer.Options(dataDir, dir.toAbsolutePath(), seed, epochs, batch, lr, train, val,
                ptbT, ptbV, !noCpsc, normalPerEpoch, ptbBeats, l2, gold, cmd.trim(), featureDropout, noise, synthetic, members, keepLast);
        spec.commandLine().getOut().println("training " + dir + " with MIT-BIH train " + train + ", validation " + val
                + ", PTB-XL train folds " + ptbT + ", validation folds " + ptbV);
        spec.commandLine().getOut().flush();
        new Trainer(o, System.out).run();
        return 0;
    }
}
