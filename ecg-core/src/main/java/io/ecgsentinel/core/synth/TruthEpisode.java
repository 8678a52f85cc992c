package io.ecgsentinel.core.synth;

/**
 * One event that really happened to a synthetic patient, on the sample clock.
 *
 * <p>For rhythms that carry beats (VT, SVT, AF, paced) the onset is the R peak of the first beat
 * of the episode (normally the scheduled start); for the others (VF, asystole, bradycardia,
 * tachycardia, modifiers) it is the scheduled start. The end is the scheduled end (exclusive).
 * Point events (PVC) have {@code endSample == onsetSample} at the R peak.
 *
 * @param type the event type
 * @param onsetSample first sample of the event
 * @param endSample end of the event (exclusive), equal to the onset for point events
 * @param detail parameters worth knowing ({@code rate=180}, {@code leads=V1,V2}), or empty
 */
public record TruthEpisode(EventType type, long onsetSample, long endSample, String detail) {}
