package io.ecgsentinel.core.synth;

import java.util.Locale;

/**
 * How much background noise a synthetic patient has: baseline wander (respiration and drift),
 * muscle noise and power-line interference, all scaled together. Scheduled {@link
 * EventType#NOISE} episodes add electrode-motion artefact on top.
 */
public enum NoiseLevel {
    NONE(0),
    LOW(1),
    MODERATE(2.5),
    HIGH(5);

    private final double factor;

    NoiseLevel(double factor) {
        this.factor = factor;
    }

    /** Multiplier applied to the patient's base noise amplitudes. */
    public double factor() {
        return factor;
    }

    public static NoiseLevel parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("noise level '" + s + "' is not one of none, low, moderate, high");
        }
    }
}
