package io.ecgsentinel.simulator;

/**
 * Transport faults injected on purpose, for testing consumers: send jitter, out-of-order,
 * duplicated and dropped frames. Each injected fault is counted in {@link SimStats} and marked in
 * the truth topic ({@code FRAME_DROPPED}, {@code FRAME_DUPLICATED}, {@code FRAME_REORDERED} with
 * the device id and {@code sequence=N}).
 *
 * @param jitterMillis each frame leaves up to this many ms after its schedule (uniform); 0 for none
 * @param reorderProbability chance that a frame is held back and sent after the next one
 * @param duplicateProbability chance that a frame is sent twice
 * @param dropProbability chance that a frame is not sent (its sequence number is skipped)
 * @param seed seed of the fault decisions
 */
public record Faults(double jitterMillis, double reorderProbability, double duplicateProbability,
        double dropProbability, long seed) {

    public static final Faults NONE = new Faults(0, 0, 0, 0, 0);

    public Faults {
        check("--jitter", jitterMillis, 0, 10_000);
        check("--reorder", reorderProbability, 0, 1);
        check("--duplicate", duplicateProbability, 0, 1);
        check("--drop", dropProbability, 0, 1);
    }

    public boolean any() {
        return jitterMillis > 0 || reorderProbability > 0 || duplicateProbability > 0 || dropProbability > 0;
    }

    private static void check(String option, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(option + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }
}
