package io.ecgsentinel.simulator;

import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.core.config.DataDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./ecg replay}: archived WFDB records as live patients, with their annotations as ground truth. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay archived WFDB records (MIT-BIH, PTB-XL, CinC 2021, CPSC 2021, ...) as live patients: frames "
                    + "to Kafka in real time or --speed times faster, optionally looping; reference annotations "
                    + "become ground truth (rhythm episodes such as (VT ... (N, (AFIB; ectopic beats) on ecg.truth.v1."
        },
        footer = {
            "%nExamples:",
            "  ecg replay --data mitdb --speed 10 --embedded-broker",
            "  ecg replay --records ../shared/data/mitdb/100,../shared/data/mitdb/119 --loop --bootstrap-servers localhost:9092",
            "  ecg replay --data cpsc2021 --patient-map map.csv --truth-beats all"
        })
public final class ReplayCommand implements EcgSubcommand, Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--records", paramLabel = "RECORD", split = ",",
            description = "Records to replay: header paths or record paths without extension, comma separated.")
    List<Path> records = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR",
            description = "Replay the records of DIR (its RECORDS file, else every .hea below it); a dataset "
                    + "name such as mitdb is looked up in the data directory (ECG_DATA_DIR).")
    List<String> data = new ArrayList<>();

    @Option(names = "--max-records", paramLabel = "N", description = "Use at most N records.")
    Integer maxRecords;

    @Option(names = "--patients", paramLabel = "N",
            description = "Number of patients (default: one per record); more than the records reuses them "
                    + "with distinct ids, each starting at a different point.")
    Integer patients;

    @Option(names = "--loop", description = "Start again at the end of each record (the device clock runs on).")
    boolean loop;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
            description = "Stop after this much event time (60s, 5m); 0 = until the records end (forever with --loop).")
    double duration;

    @Option(names = "--patient-map", paramLabel = "FILE",
            description = "Patient ids by record: lines 'record,patientId' (default: opaque ids derived from record names).")
    Path patientMap;

    @Option(names = "--truth-beats", paramLabel = "MODE", defaultValue = "ectopic",
            description = "Beats as truth: none, ectopic (V/S/F), all (default ${DEFAULT-VALUE}; rhythm episodes always).")
    String truthBeats;

    @Mixin KafkaOptions kafka;

    @Mixin PacingOptions pacing;

    @Override
    public int helpOrder() {
        return 61;
    }

    @Override
    public Integer call() throws Exception {
        TruthBeats beats;
        try {
            beats = TruthBeats.parse(truthBeats);
        } catch (IllegalArgumentException e) {
            throw bad("--truth-beats: " + e.getMessage());
        }
        List<Path> headers = new ArrayList<>();
        for (Path r : records) {
            Path hea = r.toString().endsWith(".hea") ? r : Path.of(r + ".hea");
            if (!Files.isRegularFile(hea)) {
                throw bad("--records: no header " + hea);
            }
            headers.add(hea);
        }
        for (String d : data) {
            Path dir = Path.of(d);
            if (!Files.isDirectory(dir)) {
                Path resolved;
                try {
                    resolved = DataDirs.resolve().resolve(d);
                } catch (RuntimeException e) {
                    throw bad("--data: " + d + " is not a directory, and no data directory to look it up in ("
                            + e.getMessage() + ")");
                }
                if (!Files.isDirectory(resolved)) {
                    throw bad("--data: " + d + " is neither a directory nor a dataset in " + resolved.getParent());
                }
                dir = resolved;
            }
            List<Path> found = ReplayRecord.discover(dir);
            if (found.isEmpty()) {
                throw bad("--data: no WFDB records in " + dir);
            }
            headers.addAll(found);
        }
        if (headers.isEmpty()) {
            throw bad("give --records or --data");
        }
        if (maxRecords != null) {
            if (maxRecords < 1) {
                throw bad("--max-records must be >= 1");
            }
            headers = headers.subList(0, Math.min(maxRecords, headers.size()));
        }
        PatientIds ids;
        try {
            ids = patientMap == null ? PatientIds.derived() : PatientIds.read(patientMap);
        } catch (IOException e) {
            throw bad("--patient-map " + patientMap + ": cannot read (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Map<Path, ReplayRecord> loaded = new LinkedHashMap<>();
        for (Path h : headers) {
            try {
                loaded.put(h, ReplayRecord.load(h, beats));
            } catch (IOException | RuntimeException e) {
                throw bad("cannot replay " + h + ": " + e.getMessage());
            }
        }
        List<ReplayRecord> recs = new ArrayList<>(loaded.values());
        int n = patients == null ? recs.size() : patients;
        if (n < 1) {
            throw bad("--patients must be >= 1");
        }
        System.err.printf("replay: %d records, %d patients%s%n", recs.size(), n, loop ? ", looping" : "");
        return PublishSession.run(spec, "replay", patientsFor(recs, n, ids, loop), kafka, pacing, duration);
    }

    /**
     * {@code n} replayed patients over {@code recs}: patient j replays record j mod R; copies after
     * the first get their own id and start a fraction of the record later.
     */
    public static List<PatientStream> patientsFor(List<ReplayRecord> recs, int n, PatientIds ids, boolean loop) {
        List<PatientStream> out = new ArrayList<>();
        int r = recs.size();
        int copies = (n + r - 1) / r;
        for (int j = 0; j < n; j++) {
            ReplayRecord rec = recs.get(j % r);
            int copy = j / r;
            String pid = ids.idFor(rec.source(), copy);
            long offset = copies <= 1 ? 0 : (long) rec.length() * copy / copies;
            out.add(new RecordReplayPatient(rec, pid, PatientIds.deviceFor(pid), loop, offset));
        }
        return out;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
