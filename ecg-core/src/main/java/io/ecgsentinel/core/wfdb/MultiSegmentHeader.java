package io.ecgsentinel.core.wfdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The master header of a multi-segment WFDB record ({@code name/n} on the record line): the list of
 * segments, each a single-segment record in the same directory, that are played one after the
 * other.
 *
 * <p>A segment named {@code ~} is a null segment (a gap of the given length). When the first
 * segment has length 0 it is the layout header: it lists the signals of the whole record and the
 * segments may carry any subset of them (a "variable layout" record, as in MIMIC). Without one,
 * every segment has the same signals ("fixed layout"). {@link WfdbRecord#read} reads such records;
 * this class only parses the master header.
 *
 * @param recordName the record name without the {@code /n} suffix
 * @param samplingFrequency frames per second
 * @param samplesPerSignal total length in frames (0 when the header leaves it out)
 * @param segments the segments in play order, the layout segment included
 * @param comments header comment lines without the leading {@code #}
 * @param directory where the segment headers are
 */
public record MultiSegmentHeader(
        String recordName,
        double samplingFrequency,
        long samplesPerSignal,
        List<Segment> segments,
        List<String> comments,
        Path directory) {

    /** One line of the segment list: a record name (or {@code ~}) and its length in frames. */
    public record Segment(String name, long length) {
        /** True for a null segment ({@code ~}): a gap with no samples. */
        public boolean isNull() {
            return "~".equals(name);
        }
    }

    public MultiSegmentHeader {
        segments = List.copyOf(segments);
        comments = List.copyOf(comments);
    }

    /** True when the record line of {@code lines} declares segments ({@code name/n ...}). */
    public static boolean isMultiSegment(List<String> lines) {
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String first = line.split("\\s+", 2)[0];
            return first.indexOf('/') >= 0;
        }
        return false;
    }

    /** The layout segment (first segment, length 0), if the record has one. */
    public boolean hasLayoutSegment() {
        return !segments.isEmpty() && segments.get(0).length() == 0 && !segments.get(0).isNull();
    }

    /** Parses master header lines; {@code source} only names the file in error messages. */
    public static MultiSegmentHeader parse(List<String> lines, Path directory, String source) {
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
            content.add(line);
        }
        if (content.isEmpty()) {
            throw new WfdbFormatException(source + ": no record line");
        }
        String[] rec = content.get(0).split("\\s+");
        int slash = rec[0].indexOf('/');
        if (slash < 0) {
            throw new WfdbFormatException(source + ": not a multi-segment header");
        }
        String name = rec[0].substring(0, slash);
        int count;
        try {
            count = Integer.parseInt(rec[0].substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new WfdbFormatException(source + ": bad segment count in '" + rec[0] + "'", e);
        }
        double fs = 250;
        if (rec.length > 2) {
            String f = rec[2];
            int cut = f.indexOf('/');
            int paren = f.indexOf('(');
            if (paren >= 0 && (cut < 0 || paren < cut)) {
                cut = paren;
            }
            fs = Double.parseDouble(cut >= 0 ? f.substring(0, cut) : f);
        }
        long nsamp = rec.length > 3 ? Long.parseLong(rec[3]) : 0;
        if (content.size() < 1 + count) {
            throw new WfdbFormatException(
                    source
                            + ": header declares "
                            + count
                            + " segments but lists "
                            + (content.size() - 1));
        }
        List<Segment> segs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String[] t = content.get(1 + i).split("\\s+");
            if (t.length < 2) {
                throw new WfdbFormatException(
                        source + ": segment line " + (i + 1) + " has no length");
            }
            segs.add(new Segment(t[0], Long.parseLong(t[1])));
        }
        return new MultiSegmentHeader(name, fs, nsamp, segs, comments, directory);
    }
}
