package io.ecgsentinel.models.data;

import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.NoiseLevel;
import io.ecgsentinel.core.synth.Scenarios;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.core.synth.SyntheticRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Training records from the product's own ECG generator (ecg-core {@code synth}, the simulator's
 * generator): scenarios with ventricular ectopy and VT, bigeminy, AF and normal rhythm, at the sample
 * rates and lead sets devices send (12 leads at 250 and 500 Hz, 2 leads at 360 Hz), with the
 * generator's exact beat labels. The MIT-BIH patients alone never show the model the generator's
 * ventricular morphology, and the streaming job serves simulated patients as well as real ones.
 *
 * <p>The records are written to a temporary directory as WFDB and read back through
 * {@link DatasetBuilder#annotated}, the same path (QRS detector, preprocessing, label matching) as
 * MIT-BIH. Seeds are {@code 7_000_000 + 1000 * seed + i}: disjoint from the simulator's and demo's
 * patient seeds, so no demo patient is a training record.
 */
public final class SyntheticBeats {

    /** Scenario presets, in rotation. */
    public static final List<String> PRESETS = List.of("vt", "pvc", "bigeminy", "vt", "normal", "afib", "pvc", "vt");

    static final double SECONDS = 120;

    private SyntheticBeats() {}

    public static List<LabeledRecord> records(DatasetBuilder db, int count, long seed) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ecg-synthetic-training-");
            List<LabeledRecord> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long s = 7_000_000L + 1000L * seed + i;
                String preset = PRESETS.get(i % PRESETS.size());
                double fs = switch (i % 3) {
                    case 0 -> 250;
                    case 1 -> 500;
                    default -> 360;
                };
                List<StandardLead> leads = i % 3 == 2 ? List.of(StandardLead.parse("II"), StandardLead.parse("V1"))
                        : StandardLead.ALL;
                EcgSynthesizer g = EcgSynthesizer.builder().seed(s).sampleRate(fs).leads(leads)
                        .scenario(Scenarios.preset(preset, SECONDS, s))
                        .noise(i % 4 == 3 ? NoiseLevel.MODERATE : NoiseLevel.LOW).build();
                String name = String.format("syn%03d", i);
                SyntheticRecords.write(dir, name, g, SECONDS, SyntheticRecords.DEFAULT_GAIN);
                out.add(db.annotated(dir, name, "synthetic-" + i, "synthetic"));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic training records", e);
        } finally {
            if (dir != null) {
                deleteAll(dir);
            }
        }
    }

    private static void deleteAll(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete temporary synthetic records in " + dir, e);
        }
    }
}
