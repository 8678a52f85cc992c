package io.ecgsentinel.core.synth;

import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link TruthListener} that keeps everything it hears, and turns it into WFDB annotations:
 * one beat annotation per R peak, a rhythm-change annotation ({@code +} with {@code (VT}, {@code
 * (N}, ...) where the rhythm changes, VF onset/offset markers ({@code [} / {@code ]}) around
 * ventricular fibrillation, and note annotations ({@code "}) with the text of the other episodes
 * (ST change, lead-off, noise, bigeminy) at their onset and end.
 */
public final class TruthRecorder implements TruthListener {

    /** A rhythm change. */
    public record RhythmChange(long sample, String label) {}

    private final List<TruthBeat> beats = new ArrayList<>();
    private final List<RhythmChange> rhythms = new ArrayList<>();
    private final List<TruthEpisode> episodes = new ArrayList<>();

    @Override
    public void onBeat(TruthBeat beat) {
        beats.add(beat);
    }

    @Override
    public void onRhythm(long sample, String label) {
        rhythms.add(new RhythmChange(sample, label));
    }

    @Override
    public void onEpisode(TruthEpisode episode) {
        episodes.add(episode);
    }

    public List<TruthBeat> beats() {
        return beats;
    }

    public List<RhythmChange> rhythms() {
        return rhythms;
    }

    public List<TruthEpisode> episodes() {
        return episodes;
    }

    /** Forgets everything heard so far. */
    public void clear() {
        beats.clear();
        rhythms.clear();
        episodes.clear();
    }

    /**
     * Everything heard, as MIT-format annotations in sample order, for a record of {@code length}
     * samples (episode ends beyond it are clipped to its last sample).
     */
    public List<Annotation> annotations(long length) {
        List<long[]> order = new ArrayList<>(); // {sample, priority, index}
        List<Annotation> items = new ArrayList<>();
        for (RhythmChange r : rhythms) {
            add(items, order, new Annotation(r.sample(), AnnotationCodes.RHYTHM, 0, 0, 0, r.label()), 0);
        }
        int vfOn = AnnotationCodes.code("[");
        int vfOff = AnnotationCodes.code("]");
        int note = AnnotationCodes.code("\"");
        for (TruthEpisode e : episodes) {
            long end = Math.min(e.endSample(), Math.max(0, length - 1));
            switch (e.type()) {
                case VF -> {
                    add(items, order, new Annotation(e.onsetSample(), vfOn, 0, 0, 0, ""), 1);
                    add(items, order, new Annotation(end, vfOff, 0, 0, 0, ""), 1);
                }
                case ST_ELEVATION, ST_DEPRESSION, LEAD_OFF, NOISE, BIGEMINY -> {
                    String text = e.type().truthCode() + (e.detail().isEmpty() ? "" : " " + e.detail());
                    add(items, order, new Annotation(e.onsetSample(), note, 0, 0, 0, text), 1);
                    add(items, order, new Annotation(end, note, 0, 0, 0, e.type().truthCode() + " end"), 1);
                }
                default -> { }
            }
        }
        for (TruthBeat b : beats) {
            add(items, order, new Annotation(b.sample(), b.code(), 0, 0, 0, ""), 2);
        }
        order.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1])
                .thenComparingLong(o -> o[2]));
        List<Annotation> out = new ArrayList<>(items.size());
        for (long[] o : order) {
            if (o[0] < length) {
                out.add(items.get((int) o[2]));
            }
        }
        return out;
    }

    private static void add(List<Annotation> items, List<long[]> order, Annotation a, int priority) {
        order.add(new long[] {a.sample(), priority, items.size()});
        items.add(a);
    }
}
