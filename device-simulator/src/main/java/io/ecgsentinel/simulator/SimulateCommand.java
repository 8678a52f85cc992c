package io.ecgsentinel.simulator;

import io.ecgsentinel.core.cli.EcgSubcommand;
import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.NoiseLevel;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.Scenarios;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.core.synth.SyntheticRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./ecg simulate}: synthetic 12-lead patients published to Kafka (or written as WFDB with --out). */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Simulate synthetic 12-lead patients as live devices: frames to Kafka (ecg.frames.v1), ground truth "
                    + "(every scheduled event) to ecg.truth.v1, paced so event time tracks the wall clock at --speed.",
            "With --out DIR, write WFDB records (.hea/.dat) with beat and rhythm annotations (.atr) instead."
        },
        footer = {
            "%nExamples:",
            "  ecg simulate --patients 1000 --duration 60s --embedded-broker",
            "  ecg simulate --patients 50 --preset vt --speed 10 --bootstrap-servers localhost:9092",
            "  ecg simulate --out target/synth --patients 20 --duration 5m --seed 7",
            "%nScenario file (one event per line): hr 72 | at 20s PVC | at 1m VT for 15s rate=180 | "
                    + "at 2m AFIB for 1m | at 150s LEAD_OFF for 5s leads=V1,V2 mode=rail",
            "Presets: " + "normal, pvc, bigeminy, vt, vf, asystole, afib, svt, brady, tachy, paced, st-elevation, "
                    + "st-depression, lead-off, noise, mixed"
        })
public final class SimulateCommand implements EcgSubcommand, Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--patients", paramLabel = "N", defaultValue = "10", description = "Number of patients (default ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Event time per patient: 60s, 5m, 1h; 0 or 'forever' = until Ctrl-C (default ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "500", description = "Samples per second per lead (default ${DEFAULT-VALUE}).")
    int sampleRate;

    @Option(names = "--leads", paramLabel = "LEADS", defaultValue = "all",
            description = "Leads: all, limb, precordial or a list such as II,V1,V5 (default ${DEFAULT-VALUE}).")
    String leads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed; same seed, same patients (default ${DEFAULT-VALUE}).")
    long seed;

    static final class ScenarioChoice {
        @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario file applied to every patient.")
        Path file;

        @Option(names = "--preset", paramLabel = "NAME", description = "Scenario preset, varied per patient (default mixed).")
        String preset;
    }

    @ArgGroup(exclusive = true)
    ScenarioChoice scenario;

    @Option(names = "--noise", paramLabel = "LEVEL", defaultValue = "low", description = "Background noise: none, low, moderate, high (default ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--mains-hz", paramLabel = "HZ", defaultValue = "50", description = "Power-line frequency, 50 or 60 (default ${DEFAULT-VALUE}).")
    double mainsHz;

    @Option(names = "--truth-beats", paramLabel = "MODE", defaultValue = "none",
            description = "Publish beats as truth too: none, ectopic, all (default ${DEFAULT-VALUE}; episodes always).")
    String truthBeats;

    @Option(names = "--out", paramLabel = "DIR", description = "Write WFDB records + annotations to DIR instead of publishing.")
    Path out;

    @Mixin KafkaOptions kafka;

    @Mixin PacingOptions pacing;

    @Override
    public int helpOrder() {
        return 60;
    }

    @Override
    public Integer call() throws Exception {
        if (patients < 1 || patients > 100_000) {
            throw bad("--patients must be in [1, 100000], got " + patients);
        }
        if (sampleRate < 50 || sampleRate > 10_000) {
            throw bad("--sample-rate must be in [50, 10000] Hz, got " + sampleRate);
        }
        List<StandardLead> leadList = parse("--leads", () -> StandardLead.parseList(leads));
        NoiseLevel noiseLevel = parse("--noise", () -> NoiseLevel.parse(noise));
        TruthBeats beats = parse("--truth-beats", () -> TruthBeats.parse(truthBeats));
        if (mainsHz != 50 && mainsHz != 60) {
            throw bad("--mains-hz must be 50 or 60, got " + mainsHz);
        }
        Scenario fixed = null;
        String preset = "mixed";
        if (scenario != null && scenario.file != null) {
            try {
                fixed = Scenario.read(scenario.file);
            } catch (IOException e) {
                throw bad("--scenario " + scenario.file + ": cannot read (" + e.getMessage() + ")");
            } catch (IllegalArgumentException e) {
                throw bad("--scenario " + e.getMessage());
            }
        } else if (scenario != null && scenario.preset != null) {
            preset = scenario.preset;
            String p = preset;
            parse("--preset", () -> Scenarios.preset(p, 60, 0));
        }
        double scenarioLength = duration > 0 ? duration : 600;
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 0; i < patients; i++) {
            scenarios.add(fixed != null ? fixed
                    : Scenarios.preset(preset, scenarioLength, SyntheticPatient.patientSeed(seed, i)));
        }
        if (out != null) {
            if (duration <= 0) {
                throw bad("--out needs a finite --duration");
            }
            return writeRecords(leadList, noiseLevel, scenarios);
        }
        List<PatientStream> streams = new ArrayList<>();
        for (int i = 0; i < patients; i++) {
            streams.add(SyntheticPatient.create(seed, i, sampleRate, leadList, scenarios.get(i), noiseLevel, mainsHz, beats));
        }
        return PublishSession.run(spec, "simulate", streams, kafka, pacing, duration);
    }

    private int writeRecords(List<StandardLead> leadList, NoiseLevel noiseLevel, List<Scenario> scenarios)
            throws IOException {
        Files.createDirectories(out);
        AtomicInteger beats = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        List<String> names = IntStream.range(0, patients).mapToObj(i -> String.format(Locale.ROOT, "sim%05d", i)).toList();
        IntStream.range(0, patients).parallel().forEach(i -> {
            EcgSynthesizer g = EcgSynthesizer.builder().seed(SyntheticPatient.patientSeed(seed, i))
                    .sampleRate(sampleRate).leads(leadList).scenario(scenarios.get(i)).noise(noiseLevel)
                    .mainsHz(mainsHz).build();
            try {
                SyntheticRecords.Written w = SyntheticRecords.write(out, names.get(i), g, duration,
                        SyntheticRecords.DEFAULT_GAIN);
                beats.addAndGet(w.truth().beats().size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int d = done.incrementAndGet();
            if (pacing.progressSeconds > 0 && (d % 50 == 0 || d == patients)) {
                System.err.printf(Locale.ROOT, "[simulate --out] %d/%d records%n", d, patients);
            }
        });
        Files.write(out.resolve("RECORDS"), names);
        System.out.printf(Locale.ROOT, "wrote %d WFDB records (%s, %d Hz, %d leads, %s each; %d beats annotated) to %s in %.1f s%n",
                patients, "format 16", sampleRate, leadList.size(),
                io.ecgsentinel.core.synth.Durations.format(duration), beats.get(), out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private <T> T parse(String option, java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw bad(option + ": " + e.getMessage());
        }
    }
}
