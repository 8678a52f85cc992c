package io.ecgsentinel.simulator;

/**
 * Ground truth of one patient on its own sample clock, before it becomes a {@code
 * GroundTruthEvent} with absolute times.
 *
 * @param eventType canonical event code (VT, VF, ASYSTOLE, AFIB, PVC, ..., or a replayed label)
 * @param onsetSample first sample of the event
 * @param endSample end sample (exclusive); equal to the onset for point events
 * @param detail free text, or null
 * @param deviceScoped true when the event concerns the device rather than the patient (lead-off,
 *     dropped or duplicated frames)
 */
public record TruthEvent(String eventType, long onsetSample, long endSample, String detail,
        boolean deviceScoped) {}
