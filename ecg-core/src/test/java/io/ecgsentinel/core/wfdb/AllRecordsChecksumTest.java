package io.ecgsentinel.core.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.ecgsentinel.core.config.DataDirs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads every WFDB record of the data directory (all datasets, found by walking it) and checks each
 * signal against its header: first sample = initial value, 16-bit sum = checksum, the signal file
 * holds exactly the samples the header announces. Every failing record is listed in the failure
 * message, not only the first.
 */
class AllRecordsChecksumTest {

    /**
     * The data README's total: mitdb 26, ptbxl 1,498 + 353, cinc2021 40, cpsc2021 9, ptbdb 1, nstdb
     * 2.
     */
    private static final int RECORDS_IN_README = 1929;

    @Test
    void everyRecordMatchesItsHeaderChecksumsAndInitialValues() throws IOException {
        Path data = DataDirs.resolve();
        List<Path> headers;
        try (Stream<Path> s = Files.walk(data)) {
            headers = s.filter(p -> p.getFileName().toString().endsWith(".hea")).sorted().toList();
        }

        long t0 = System.nanoTime();
        List<String> failures = new ArrayList<>();
        long samples = 0;
        for (Path hea : headers) {
            String rel = data.relativize(hea).toString();
            try {
                WfdbRecord r = WfdbRecord.read(hea);
                for (String problem : r.verify()) {
                    failures.add(rel + ": " + problem);
                }
                failures.addAll(sizeProblems(rel, r));
                for (int i = 0; i < r.signalCount(); i++) {
                    samples += r.adc(i).length;
                }
            } catch (IOException | RuntimeException e) {
                // recorded, not swallowed: the assertion below lists it with the others
                failures.add(rel + ": cannot read: " + e);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "AllRecordsChecksumTest: %d records, %d samples in %.1f s%n",
                headers.size(),
                samples,
                seconds);

        if (!failures.isEmpty()) {
            fail(
                    failures.size()
                            + " problems in "
                            + headers.size()
                            + " records:\n"
                            + String.join("\n", failures));
        }
        assertThat(headers).hasSize(RECORDS_IN_README);
    }

    /** Every header found is listed in its dataset's RECORDS file and vice versa. */
    @Test
    void theRecordsFoundAreExactlyThoseListedInTheRecordsFiles() throws IOException {
        Path data = DataDirs.resolve();
        Set<String> listed = new TreeSet<>();
        Set<String> found = new TreeSet<>();
        try (Stream<Path> s = Files.walk(data)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals("RECORDS")) {
                    Path dataset = data.relativize(p.getParent());
                    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            listed.add(dataset.resolve(line.strip()).toString());
                        }
                    }
                } else if (name.endsWith(".hea")) {
                    String rel = data.relativize(p).toString();
                    found.add(rel.substring(0, rel.length() - 4));
                }
            }
        }
        assertThat(found).containsExactlyElementsOf(listed);
    }

    /** The signal files hold exactly offset + the announced samples (no truncation, no tail). */
    private static List<String> sizeProblems(String rel, WfdbRecord r) throws IOException {
        List<String> problems = new ArrayList<>();
        WfdbHeader h = r.header();
        Map<String, long[]> perFile = new LinkedHashMap<>(); // file -> {format, offset, frame size}
        for (SignalSpec s : h.signals()) {
            long[] f =
                    perFile.computeIfAbsent(
                            s.fileName(), k -> new long[] {s.format(), s.byteOffset(), 0});
            f[2] += s.samplesPerFrame();
        }
        for (Map.Entry<String, long[]> e : perFile.entrySet()) {
            long[] f = e.getValue();
            long expected = f[1] + SampleCodec.bytesFor((int) f[0], h.samplesPerSignal() * f[2]);
            long actual = Files.size(h.directory().resolve(e.getKey()));
            if (actual != expected) {
                problems.add(
                        String.format(
                                Locale.ROOT,
                                "%s: %s has %d bytes, the header implies %d",
                                rel,
                                e.getKey(),
                                actual,
                                expected));
            }
        }
        if (r.length() != h.samplesPerSignal()) {
            problems.add(
                    rel + ": read " + r.length() + " samples, header says " + h.samplesPerSignal());
        }
        return problems;
    }
}
