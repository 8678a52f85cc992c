package io.ecgsentinel.core.synth;

/**
 * Receives the ground truth of an {@link EcgSynthesizer} while it generates: every beat, every
 * rhythm change (as WFDB rhythm labels such as {@code (VT}) and every episode. Calls arrive from
 * the generating thread in sample order, during the {@code next} call whose samples contain the
 * event's sample.
 */
public interface TruthListener {

    /** A beat whose R peak lies in the samples just generated. */
    default void onBeat(TruthBeat beat) {}

    /**
     * The rhythm changes at {@code sample} to {@code label} (a WFDB aux string: {@code (N}, {@code
     * (VT}, {@code (AFIB}, {@code (VF}, {@code (ASYS}, {@code (SVTA}, {@code (SBR}, {@code (STACH},
     * {@code (B}, {@code (P}).
     */
    default void onRhythm(long sample, String label) {}

    /** An episode or point event starts at {@code episode.onsetSample()}. */
    default void onEpisode(TruthEpisode episode) {}
}
