package io.ecgsentinel.core.labels;

import io.ecgsentinel.core.wfdb.Annotation;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the rhythm-change annotations of a WFDB annotation file ({@code +} with an aux string such
 * as {@code (AFIB}, {@code (N}, {@code (VT}) into rhythm episodes, the reference that rhythm alarms
 * (AF, VT) are scored against in MIT-BIH, NSTDB and CPSC 2021.
 *
 * <p>Each rhythm lasts from its annotation to the next rhythm change or the end of the record. The
 * stretch before the first rhythm annotation has no stated rhythm and yields no episode.
 */
public final class RhythmEpisodes {

    /**
     * One stretch of a single rhythm.
     *
     * @param rhythm the label without the parenthesis ({@code AFIB}, {@code N}, {@code VT})
     * @param start first sample
     * @param end sample after the last one
     */
    public record Episode(String rhythm, long start, long end) {
        /** Length in samples. */
        public long length() {
            return end - start;
        }
    }

    private RhythmEpisodes() {}

    /**
     * The episodes of {@code annotations} (in sample order) in a record of {@code recordLength}
     * samples. Zero-length episodes (two changes at one sample) are dropped.
     */
    public static List<Episode> of(List<Annotation> annotations, long recordLength) {
        List<Episode> out = new ArrayList<>();
        String rhythm = null;
        long start = 0;
        for (Annotation a : annotations) {
            if (!a.isRhythmChange()) {
                continue;
            }
            if (rhythm != null && a.sample() > start) {
                out.add(new Episode(rhythm, start, a.sample()));
            }
            rhythm = a.rhythm();
            start = a.sample();
        }
        if (rhythm != null && recordLength > start) {
            out.add(new Episode(rhythm, start, recordLength));
        }
        return out;
    }

    /** The episodes of one rhythm only, for example {@code only(episodes, "AFIB")}. */
    public static List<Episode> only(List<Episode> episodes, String rhythm) {
        return episodes.stream().filter(e -> e.rhythm().equals(rhythm)).toList();
    }
}
