package io.ecgsentinel.core.qrs;

/**
 * Receives beats from a {@link QrsDetector} as soon as they are decided.
 *
 * <p>The sink is passed to each {@code process} call and never stored, so a lambda or a collector
 * that is not serializable is fine while the detector itself lives in keyed state.
 */
@FunctionalInterface
public interface BeatSink {

    /**
     * One detected beat.
     *
     * @param sample index of the R peak (fiducial point), counted from the first sample the
     *     detector received (0-based); beats arrive in increasing order
     * @param decidedAt index of the sample whose arrival produced this decision, so {@code
     *     decidedAt - sample} is the detection delay in samples
     */
    void onBeat(long sample, long decidedAt);
}
