package io.ecgsentinel.core.synth;

import java.util.Locale;

/**
 * What a scenario can schedule. Three kinds: <b>rhythm</b> episodes replace the sinus rhythm for
 * their duration and may not overlap each other; <b>modifiers</b> (bigeminy, ST change, lead-off,
 * noise) overlay whatever rhythm runs; <b>point</b> events (a PVC, a couplet) happen once.
 */
public enum EventType {
    /** One premature ventricular beat with a compensatory pause. */
    PVC(Kind.POINT, "PVC", null, Double.NaN),
    /** Two consecutive PVCs. */
    COUPLET(Kind.POINT, "COUPLET", null, Double.NaN),
    /** Ventricular bigeminy: every sinus beat is followed by a PVC. */
    BIGEMINY(Kind.MODIFIER, "BIGEMINY", "(B", Double.NaN),
    /** Ventricular tachycardia: wide regular beats, no P waves (default 170 bpm). */
    VT(Kind.RHYTHM, "VT", "(VT", 170),
    /** Ventricular fibrillation: chaotic 4-6 Hz waveform without QRS complexes. */
    VF(Kind.RHYTHM, "VF", "(VF", Double.NaN),
    /** Asystole: no ventricular activity; optionally P waves only ({@code pwaves=on}). */
    ASYSTOLE(Kind.RHYTHM, "ASYSTOLE", "(ASYS", Double.NaN),
    /** Atrial fibrillation: irregular RR, no P waves, 4-9 Hz fibrillatory waves (default 110 bpm). */
    AFIB(Kind.RHYTHM, "AFIB", "(AFIB", 110),
    /** Supraventricular tachycardia: narrow regular beats (default 190 bpm). */
    SVT(Kind.RHYTHM, "SVTA", "(SVTA", 190),
    /** Extreme sinus bradycardia (default 35 bpm). */
    BRADY(Kind.RHYTHM, "BRADY", "(SBR", 35),
    /** Sinus tachycardia (default 150 bpm). */
    TACHY(Kind.RHYTHM, "TACHY", "(STACH", 150),
    /** Ventricular pacing at a fixed rate with pacemaker spikes (default 70 bpm). */
    PACED(Kind.RHYTHM, "PACED", "(P", 70),
    /** ST elevation in a territory ({@code territory=anterior|inferior|lateral}). */
    ST_ELEVATION(Kind.MODIFIER, "ST_ELEVATION", null, Double.NaN),
    /** ST depression (diffuse, lateral and inferior leads). */
    ST_DEPRESSION(Kind.MODIFIER, "ST_DEPRESSION", null, Double.NaN),
    /** Electrodes off on some leads: flat (or rail) samples and the lead-off flag set. */
    LEAD_OFF(Kind.MODIFIER, "LEAD_OFF", null, Double.NaN),
    /** Electrode-motion artefact (large low-frequency transients) plus muscle noise. */
    NOISE(Kind.MODIFIER, "NOISE", null, Double.NaN);

    /** How an event interacts with the rhythm. */
    public enum Kind {
        RHYTHM,
        MODIFIER,
        POINT
    }

    private final Kind kind;
    private final String truthCode;
    private final String wfdbRhythm;
    private final double defaultRate;

    EventType(Kind kind, String truthCode, String wfdbRhythm, double defaultRate) {
        this.kind = kind;
        this.truthCode = truthCode;
        this.wfdbRhythm = wfdbRhythm;
        this.defaultRate = defaultRate;
    }

    public Kind kind() {
        return kind;
    }

    /** The ground-truth event code (GroundTruthEvent.eventType's canonical values). */
    public String truthCode() {
        return truthCode;
    }

    /** The WFDB rhythm label written in the aux string of a rhythm annotation, or null. */
    public String wfdbRhythm() {
        return wfdbRhythm;
    }

    /** The default rate in bpm for rate-bearing rhythms, else NaN. */
    public double defaultRate() {
        return defaultRate;
    }

    /** Parses a name case-insensitively, also accepting the truth codes ({@code SVTA}) and a few aliases. */
    public static EventType parse(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (n) {
            case "AF", "AFL_FIB":
                return AFIB;
            case "SVTA", "PSVT":
                return SVT;
            case "BRADYCARDIA":
                return BRADY;
            case "TACHYCARDIA":
                return TACHY;
            case "ASYS":
                return ASYSTOLE;
            case "STE", "ST_UP":
                return ST_ELEVATION;
            case "STD", "ST_DOWN":
                return ST_DEPRESSION;
            case "LEADOFF":
                return LEAD_OFF;
            default:
                break;
        }
        for (EventType t : values()) {
            if (t.name().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + name + "'");
    }
}
