package io.ecgsentinel.core.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WFDB record read into memory: its header and the raw ADC samples of every signal.
 *
 * <p>Reads signal formats 8, 16, 24, 32, 61, 80, 160, 212, 310 and 311, several signal files per
 * record (PTB's {@code .dat} + {@code .xyz}), interleaved signals, byte offsets ({@code 16x1+24}),
 * null signals (format 0) and multi-segment records (see {@link MultiSegmentHeader}). Samples stay
 * as ADC integers so checksums can be verified exactly; {@link #millivolts(int)} converts to
 * physical units. Skew is parsed but not applied (no record we use has any).
 */
public final class WfdbRecord {

    /** Value WFDB uses for an invalid sample in formats 16, 61 and 160, null signals and gaps. */
    public static final int INVALID_SAMPLE = -32768;

    private final WfdbHeader header;
    private final int[][] adc;

    /** Problems found in the segments of a multi-segment record; null for a single segment. */
    private final List<String> segmentProblems;

    public WfdbRecord(WfdbHeader header, int[][] adc) {
        this(header, adc, null);
    }

    private WfdbRecord(WfdbHeader header, int[][] adc, List<String> segmentProblems) {
        this.header = header;
        this.adc = adc;
        this.segmentProblems = segmentProblems == null ? null : List.copyOf(segmentProblems);
    }

    /**
     * Reads a record. {@code path} may be the header file ({@code .../100.hea}) or the record path
     * without extension ({@code .../100}).
     */
    public static WfdbRecord read(Path path) throws IOException {
        Path file = path.toString().endsWith(".hea") ? path : Path.of(path + ".hea");
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        Path dir = file.toAbsolutePath().getParent();
        if (MultiSegmentHeader.isMultiSegment(lines)) {
            return readMultiSegment(MultiSegmentHeader.parse(lines, dir, file.toString()));
        }
        WfdbHeader header = WfdbHeader.parse(lines, dir, file.toString());
        return new WfdbRecord(header, readSignals(header));
    }

    private static int[][] readSignals(WfdbHeader header) throws IOException {
        List<SignalSpec> specs = header.signals();
        int[][] out = new int[specs.size()][];
        // Group signals by file, keeping header order: samples of one file are interleaved.
        Map<String, List<Integer>> byFile = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            SignalSpec spec = specs.get(i);
            if (spec.format() == 0) {
                // a null signal has no file: every sample is missing
                long n = header.samplesPerSignal() * spec.samplesPerFrame();
                out[i] = new int[(int) n];
                Arrays.fill(out[i], INVALID_SAMPLE);
                continue;
            }
            byFile.computeIfAbsent(spec.fileName(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
            List<Integer> idx = e.getValue();
            SignalSpec first = specs.get(idx.get(0));
            for (int i : idx) {
                if (specs.get(i).format() != first.format()) {
                    throw new WfdbFormatException(
                            header.recordName() + ": signals in " + e.getKey() + " mix formats");
                }
            }
            Path file = header.directory().resolve(e.getKey());
            byte[] bytes = Files.readAllBytes(file);
            int frameSize = 0;
            for (int i : idx) {
                frameSize += specs.get(i).samplesPerFrame();
            }
            long start = first.byteOffset();
            if (start > bytes.length) {
                throw new WfdbFormatException(file + ": byte offset beyond end of file");
            }
            long available = SampleCodec.samplesIn(first.format(), bytes.length - (int) start);
            long frames =
                    header.samplesPerSignal() > 0
                            ? header.samplesPerSignal()
                            : available / frameSize;
            long needed = frames * frameSize;
            if (needed > available) {
                throw new WfdbFormatException(
                        String.format(
                                Locale.ROOT,
                                "%s: header says %d samples per signal but the file holds only %d",
                                file,
                                frames,
                                available / frameSize));
            }
            int[] flat = SampleCodec.decode(first.format(), bytes, (int) start, (int) needed);
            int nsig = idx.size();
            int[][] dsts = new int[nsig][];
            int[] spfs = new int[nsig];
            boolean onePerFrame = true;
            for (int k = 0; k < nsig; k++) {
                spfs[k] = specs.get(idx.get(k)).samplesPerFrame();
                onePerFrame &= spfs[k] == 1;
                // a file with a single signal needs no de-interleaving: use the decoded array
                dsts[k] = nsig == 1 ? flat : new int[(int) (frames * spfs[k])];
                out[idx.get(k)] = dsts[k];
            }
            int nf = (int) frames;
            if (nsig > 1 && onePerFrame) {
                // the usual case: a strided copy per signal, which the JIT turns into a tight loop
                for (int k = 0; k < nsig; k++) {
                    int[] dst = dsts[k];
                    for (int f = 0, p = k; f < nf; f++, p += nsig) {
                        dst[f] = flat[p];
                    }
                }
            } else if (nsig > 1) {
                int[] pos = new int[nsig];
                int p = 0;
                for (int f = 0; f < nf; f++) {
                    for (int k = 0; k < nsig; k++) {
                        int[] dst = dsts[k];
                        for (int s = 0; s < spfs[k]; s++) {
                            dst[pos[k]++] = flat[p++];
                        }
                    }
                }
            }
            if (first.format() == 8) {
                // format 8 holds first differences; each signal starts from its initial value
                for (int i : idx) {
                    int acc = specs.get(i).initialValue();
                    int[] d = out[i];
                    for (int s = 0; s < d.length; s++) {
                        acc += d[s];
                        d[s] = acc;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Concatenates the segments of a multi-segment record. Every segment is converted to the gain,
     * baseline and units of the layout (as WFDB's sigmap does), so one set of signal specs
     * describes the whole record; null segments, signals missing from a segment and the segments'
     * own invalid values all become {@link #INVALID_SAMPLE}.
     */
    private static WfdbRecord readMultiSegment(MultiSegmentHeader m) throws IOException {
        List<MultiSegmentHeader.Segment> segs = m.segments();
        boolean variable = m.hasLayoutSegment();
        List<SignalSpec> layout = null;
        if (variable) {
            layout = WfdbHeader.read(m.directory().resolve(segs.get(0).name() + ".hea")).signals();
        } else {
            for (MultiSegmentHeader.Segment s : segs) {
                if (!s.isNull() && s.length() > 0) {
                    layout = WfdbHeader.read(m.directory().resolve(s.name() + ".hea")).signals();
                    break;
                }
            }
            if (layout == null) {
                throw new WfdbFormatException(m.recordName() + ": every segment is a null segment");
            }
        }
        long total = 0;
        for (MultiSegmentHeader.Segment s : segs) {
            total += s.length();
        }
        if (m.samplesPerSignal() > 0 && m.samplesPerSignal() != total) {
            throw new WfdbFormatException(
                    String.format(
                            Locale.ROOT,
                            "%s: header says %d samples but the segments add up to %d",
                            m.recordName(),
                            m.samplesPerSignal(),
                            total));
        }
        int n = layout.size();
        int[][] adc = new int[n][];
        for (int i = 0; i < n; i++) {
            long len = total * layout.get(i).samplesPerFrame();
            if (len > Integer.MAX_VALUE - 16) {
                throw new WfdbFormatException(m.recordName() + ": too long to hold in memory");
            }
            adc[i] = new int[(int) len];
        }
        List<String> problems = new ArrayList<>();
        long frame = 0;
        for (int k = variable ? 1 : 0; k < segs.size(); k++) {
            MultiSegmentHeader.Segment seg = segs.get(k);
            if (seg.length() == 0) {
                continue;
            }
            if (seg.isNull()) {
                for (int i = 0; i < n; i++) {
                    int spf = layout.get(i).samplesPerFrame();
                    Arrays.fill(
                            adc[i],
                            (int) (frame * spf),
                            (int) ((frame + seg.length()) * spf),
                            INVALID_SAMPLE);
                }
                frame += seg.length();
                continue;
            }
            Path segHeader = m.directory().resolve(seg.name() + ".hea");
            WfdbHeader sh = WfdbHeader.read(segHeader);
            if (sh.samplesPerSignal() != seg.length()) {
                throw new WfdbFormatException(
                        String.format(
                                Locale.ROOT,
                                "%s: segment %s has %d samples, the master header says %d",
                                m.recordName(),
                                seg.name(),
                                sh.samplesPerSignal(),
                                seg.length()));
            }
            if (!variable && sh.signalCount() != n) {
                throw new WfdbFormatException(
                        m.recordName()
                                + ": segment "
                                + seg.name()
                                + " has "
                                + sh.signalCount()
                                + " signals, the first segment "
                                + n
                                + " (a record without layout segment needs the same signals"
                                + " everywhere)");
            }
            WfdbRecord part = new WfdbRecord(sh, readSignals(sh));
            problems.addAll(part.verify());
            for (int i = 0; i < n; i++) {
                SignalSpec to = layout.get(i);
                int spf = to.samplesPerFrame();
                int from = (int) (frame * spf);
                int j = variable ? indexOfName(sh, to.description()) : i;
                if (j < 0) {
                    Arrays.fill(adc[i], from, (int) (from + seg.length() * spf), INVALID_SAMPLE);
                    continue;
                }
                SignalSpec src = sh.signals().get(j);
                if (src.samplesPerFrame() != spf) {
                    throw new WfdbFormatException(
                            m.recordName()
                                    + ": signal "
                                    + to.description()
                                    + " has "
                                    + src.samplesPerFrame()
                                    + " samples per frame in segment "
                                    + seg.name()
                                    + " but "
                                    + spf
                                    + " in the layout");
                }
                copyRescaled(part.adc(j), src, adc[i], from, to);
            }
            frame += seg.length();
        }
        List<SignalSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SignalSpec l = layout.get(i);
            int initial = adc[i].length > 0 ? adc[i][0] : 0;
            specs.add(
                    new SignalSpec(
                            "~",
                            0,
                            l.samplesPerFrame(),
                            0,
                            0,
                            l.adcGain(),
                            l.baseline(),
                            l.units(),
                            l.adcResolution(),
                            l.adcZero(),
                            initial,
                            checksumOf(adc[i]),
                            0,
                            l.description()));
        }
        WfdbHeader header =
                new WfdbHeader(
                        m.recordName(),
                        segs.size(),
                        m.samplingFrequency(),
                        total,
                        specs,
                        m.comments(),
                        m.directory());
        return new WfdbRecord(header, adc, problems);
    }

    private static int indexOfName(WfdbHeader h, String name) {
        List<SignalSpec> s = h.signals();
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).description().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void copyRescaled(
            int[] src, SignalSpec from, int[] dst, int off, SignalSpec to) {
        int invalid = SampleCodec.invalidValue(from.format());
        boolean same =
                from.adcGain() == to.adcGain()
                        && from.baseline() == to.baseline()
                        && unitScaleToMillivolts(from.units()) == unitScaleToMillivolts(to.units());
        double scale =
                to.adcGain()
                        / from.adcGain()
                        * unitScaleToMillivolts(from.units())
                        / unitScaleToMillivolts(to.units());
        for (int s = 0; s < src.length; s++) {
            int v = src[s];
            if (v == invalid) {
                dst[off + s] = INVALID_SAMPLE;
            } else if (same) {
                dst[off + s] = v;
            } else {
                long r = Math.round((v - from.baseline()) * scale + to.baseline());
                dst[off + s] =
                        (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, r));
            }
        }
    }

    public WfdbHeader header() {
        return header;
    }

    public String name() {
        return header.recordName();
    }

    public double samplingFrequency() {
        return header.samplingFrequency();
    }

    public int signalCount() {
        return adc.length;
    }

    /** Samples per signal (of signal 0 when signals have different samples per frame). */
    public int length() {
        return adc.length == 0 ? 0 : adc[0].length;
    }

    /** The raw ADC samples of one signal (not copied: do not modify). */
    public int[] adc(int signal) {
        return adc[signal];
    }

    /** Lead names in header order. */
    public List<String> signalNames() {
        return header.signalNames();
    }

    /** Index of the signal whose description equals {@code name} (case-insensitive), or -1. */
    public int indexOf(String name) {
        List<String> names = signalNames();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One signal in millivolts. Invalid samples (the format's reserved minimum: -32768 for format
     * 16, -2048 for 212, -512 for 310/311, -128 for 80; {@value #INVALID_SAMPLE} for null signals
     * and gaps) become NaN so that callers see the gap instead of a spike; units of uV or V are
     * scaled to mV.
     */
    public float[] millivolts(int signal) {
        SignalSpec spec = header.signals().get(signal);
        double scale = unitScaleToMillivolts(spec.units());
        int[] a = adc[signal];
        float[] mv = new float[a.length];
        double inv = scale / spec.adcGain();
        int base = spec.baseline();
        int invalid = SampleCodec.invalidValue(spec.format());
        for (int i = 0; i < a.length; i++) {
            mv[i] = a[i] == invalid ? Float.NaN : (float) ((a[i] - base) * inv);
        }
        return mv;
    }

    /** Every signal in millivolts, in header order. */
    public float[][] millivolts() {
        float[][] all = new float[adc.length][];
        for (int i = 0; i < adc.length; i++) {
            all[i] = millivolts(i);
        }
        return all;
    }

    static double unitScaleToMillivolts(String units) {
        String u = units.strip().toLowerCase(Locale.ROOT);
        return switch (u) {
            case "uv", "µv", "microvolts" -> 1e-3;
            case "v", "volts" -> 1e3;
            default -> 1.0;
        };
    }

    /** The 16-bit checksum of one signal's samples, as WFDB computes it (sum modulo 2^16). */
    public int checksum(int signal) {
        return checksumOf(adc[signal]);
    }

    private static int checksumOf(int[] samples) {
        int sum = 0;
        for (int v : samples) {
            sum += v;
        }
        return (short) sum;
    }

    /**
     * Verifies each signal against its header: the first sample equals the initial value and the
     * 16-bit checksum matches. Returns the list of mismatches (empty when the record is intact).
     * For a multi-segment record, each segment was checked against its own header while it was
     * read, and those findings are returned.
     */
    public List<String> verify() {
        if (segmentProblems != null) {
            return segmentProblems;
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < adc.length; i++) {
            SignalSpec s = header.signals().get(i);
            if (s.format() == 0) {
                continue; // a null signal has no stored samples to check
            }
            if (adc[i].length > 0 && adc[i][0] != s.initialValue()) {
                problems.add(
                        String.format(
                                Locale.ROOT,
                                "%s signal %d (%s): first sample %d, header %d",
                                name(),
                                i,
                                s.description(),
                                adc[i][0],
                                s.initialValue()));
            }
            if (checksum(i) != (short) s.checksum()) {
                problems.add(
                        String.format(
                                Locale.ROOT,
                                "%s signal %d (%s): checksum %d, header %d",
                                name(),
                                i,
                                s.description(),
                                checksum(i),
                                (short) s.checksum()));
            }
        }
        return problems;
    }
}
