package io.ecgsentinel.core.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed WFDB header ({@code .hea}) of a single-segment record: the record line, one {@link
 * SignalSpec} per signal and the comment lines (which PTB-XL, CinC and MIT-BIH use for age, sex and
 * diagnoses such as {@code # Dx: 426783006}).
 *
 * <p>Parsing follows the WFDB header format specification (header(5)); fields that the header
 * leaves out take the documented defaults (gain 200, baseline = ADC zero, 12-bit resolution).
 */
public record WfdbHeader(
        String recordName,
        int numberOfSegments,
        double samplingFrequency,
        long samplesPerSignal,
        List<SignalSpec> signals,
        List<String> comments,
        Path directory) {

    public WfdbHeader {
        signals = List.copyOf(signals);
        comments = List.copyOf(comments);
    }

    /**
     * Reads and parses {@code <dir>/<record>.hea}; {@code headerFile} may also be the .hea path.
     */
    public static WfdbHeader read(Path headerFile) throws IOException {
        Path file =
                headerFile.toString().endsWith(".hea") ? headerFile : Path.of(headerFile + ".hea");
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        Path dir = file.toAbsolutePath().getParent();
        return parse(lines, dir, file.toString());
    }

    /** Parses header lines; {@code source} only names the file in error messages. */
    public static WfdbHeader parse(List<String> lines, Path directory, String source) {
        List<String> comments = new ArrayList<>();
        List<String> content = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
                continue;
            }
            int hash = line.indexOf('#');
            if (hash > 0) {
                comments.add(line.substring(hash + 1).strip());
                line = line.substring(0, hash).strip();
            }
            content.add(line);
        }
        if (content.isEmpty()) {
            throw new WfdbFormatException(source + ": no record line");
        }
        String[] rec = content.get(0).split("\\s+");
        String name = rec[0];
        int segments = 1;
        int slash = name.indexOf('/');
        if (slash >= 0) {
            segments = Integer.parseInt(name.substring(slash + 1));
            name = name.substring(0, slash);
        }
        if (rec.length < 2) {
            throw new WfdbFormatException(source + ": record line has no signal count");
        }
        int nsig = Integer.parseInt(rec[1]);
        double fs = 250;
        if (rec.length > 2) {
            String f = rec[2];
            int cut = indexOfAny(f, "/(");
            fs = Double.parseDouble(cut >= 0 ? f.substring(0, cut) : f);
        }
        long nsamp = rec.length > 3 ? Long.parseLong(rec[3]) : 0;
        if (segments > 1) {
            throw new WfdbFormatException(
                    source
                            + ": multi-segment records ("
                            + segments
                            + " segments) are not supported");
        }
        if (content.size() < 1 + nsig) {
            throw new WfdbFormatException(
                    source
                            + ": header declares "
                            + nsig
                            + " signals but has "
                            + (content.size() - 1));
        }
        List<SignalSpec> specs = new ArrayList<>(nsig);
        for (int i = 0; i < nsig; i++) {
            specs.add(parseSignal(content.get(1 + i), source, i));
        }
        return new WfdbHeader(name, segments, fs, nsamp, specs, comments, directory);
    }

    private static SignalSpec parseSignal(String line, String source, int index) {
        String[] t = line.split("\\s+", 9);
        if (t.length < 2) {
            throw new WfdbFormatException(source + ": signal " + index + " has no format");
        }
        String file = t[0];
        // format[xsamples][:skew][+offset]
        String fmtField = t[1];
        long offset = 0;
        int skew = 0;
        int spf = 1;
        int plus = fmtField.indexOf('+');
        if (plus >= 0) {
            offset = Long.parseLong(fmtField.substring(plus + 1));
            fmtField = fmtField.substring(0, plus);
        }
        int colon = fmtField.indexOf(':');
        if (colon >= 0) {
            skew = Integer.parseInt(fmtField.substring(colon + 1));
            fmtField = fmtField.substring(0, colon);
        }
        int x = fmtField.indexOf('x');
        if (x >= 0) {
            spf = Integer.parseInt(fmtField.substring(x + 1));
            fmtField = fmtField.substring(0, x);
        }
        int format = Integer.parseInt(fmtField);
        double gain = 200;
        Integer baseline = null;
        String units = "mV";
        if (t.length > 2) {
            String g = t[2];
            int slashU = g.indexOf('/');
            if (slashU >= 0) {
                units = g.substring(slashU + 1);
                g = g.substring(0, slashU);
            }
            int paren = g.indexOf('(');
            if (paren >= 0) {
                baseline = Integer.parseInt(g.substring(paren + 1, g.indexOf(')')));
                g = g.substring(0, paren);
            }
            gain = Double.parseDouble(g);
            if (gain == 0) {
                gain = 200;
            }
        }
        int resolution = t.length > 3 ? Integer.parseInt(t[3]) : defaultResolution(format);
        int adcZero = t.length > 4 ? Integer.parseInt(t[4]) : 0;
        int initial = t.length > 5 ? Integer.parseInt(t[5]) : 0;
        int checksum = t.length > 6 ? Integer.parseInt(t[6]) : 0;
        int block = t.length > 7 ? Integer.parseInt(t[7]) : 0;
        String desc = t.length > 8 ? t[8].strip() : "sig" + index;
        return new SignalSpec(
                file,
                format,
                spf,
                skew,
                offset,
                gain,
                baseline == null ? adcZero : baseline,
                units,
                resolution,
                adcZero,
                initial,
                checksum,
                block,
                desc);
    }

    private static int defaultResolution(int format) {
        return switch (format) {
            case 8, 80 -> 8;
            case 310, 311 -> 10;
            case 212 -> 12;
            default -> 16;
        };
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Number of signals. */
    public int signalCount() {
        return signals.size();
    }

    /** Signal descriptions (lead names), in header order. */
    public List<String> signalNames() {
        return signals.stream().map(SignalSpec::description).toList();
    }

    /**
     * The value of a {@code key: value} comment line, case-insensitive on the key (for example
     * {@code comment("Dx")} for CinC's {@code # Dx: 164889003,59118001}).
     */
    public Optional<String> comment(String key) {
        String prefix = key.toLowerCase(Locale.ROOT) + ":";
        for (String c : comments) {
            if (c.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return Optional.of(c.substring(prefix.length()).strip());
            }
        }
        return Optional.empty();
    }
}
