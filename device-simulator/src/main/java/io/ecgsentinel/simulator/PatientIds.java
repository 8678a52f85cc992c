package io.ecgsentinel.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patient ids of replayed records: by default an opaque id derived from the record's name (a
 * SHA-256 prefix, stable across runs and machines), or the id a mapping file assigns.
 *
 * <p>Mapping file: one {@code record,patientId} (or {@code record=patientId}, or whitespace
 * separated) per line, {@code #} comments; the record may be named by its source ({@code
 * mitdb/100}) or its bare name ({@code 100}).
 */
public final class PatientIds {

    private final Map<String, String> map;

    private PatientIds(Map<String, String> map) {
        this.map = map;
    }

    /** No mapping: every record gets its derived id. */
    public static PatientIds derived() {
        return new PatientIds(Map.of());
    }

    /** Reads a mapping file; errors name the file and line. */
    public static PatientIds read(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s*[,=]\\s*|\\s+", 2);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isBlank()) {
                throw new IllegalArgumentException("--patient-map " + file + " line " + (i + 1)
                        + ": expected 'record,patientId'");
            }
            m.put(parts[0], parts[1].strip());
        }
        return new PatientIds(m);
    }

    /**
     * The id of copy {@code copy} (0 for the first) of the record with source {@code source}
     * ({@code dir/name}): the mapped id (with {@code #copy} appended for further copies) or the
     * derived one.
     */
    public String idFor(String source, int copy) {
        String name = source.contains("/") ? source.substring(source.lastIndexOf('/') + 1) : source;
        String mapped = map.getOrDefault(source, map.get(name));
        if (mapped != null) {
            return copy == 0 ? mapped : mapped + "#" + copy;
        }
        return derive(source + (copy == 0 ? "" : "#" + copy));
    }

    /** The derived opaque id of a record source. */
    public static String derive(String source) {
        return "rec-" + hash("ecg-sentinel/replay/" + source).substring(0, 16);
    }

    static String deviceFor(String patientId) {
        return "replaydev-" + hash("ecg-sentinel/device/" + patientId).substring(0, 10);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
