package io.ecgsentinel.simulator;

import java.util.Locale;

/** Which beats become ground-truth events (episodes always do). */
public enum TruthBeats {
    /** No per-beat events. */
    NONE,
    /** Ectopic beats only: V as {@code PVC}, S as {@code SVPB}, F as {@code FUSION}. */
    ECTOPIC,
    /** Every beat, as {@code BEAT} with the WFDB symbol as detail. */
    ALL;

    public static TruthBeats parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is not one of none, ectopic, all");
        }
    }

    /** The event for a beat of WFDB symbol {@code symbol} and AAMI class {@code aami}, or null. */
    TruthEvent event(long sample, String symbol, char aami) {
        return switch (this) {
            case NONE -> null;
            case ALL -> new TruthEvent("BEAT", sample, sample, symbol, false);
            case ECTOPIC -> switch (aami) {
                case 'V' -> new TruthEvent("PVC", sample, sample, symbol, false);
                case 'S' -> new TruthEvent("SVPB", sample, sample, symbol, false);
                case 'F' -> new TruthEvent("FUSION", sample, sample, symbol, false);
                default -> null;
            };
        };
    }
}
