package io.ecgsentinel.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The twelve standard ECG leads, in the conventional order. {@link #label()} is the conventional
 * spelling ({@code aVR}); {@link #parse(String)} also accepts {@code AVR}, {@code avr}.
 */
public enum StandardLead {
    I("I"),
    II("II"),
    III("III"),
    AVR("aVR"),
    AVL("aVL"),
    AVF("aVF"),
    V1("V1"),
    V2("V2"),
    V3("V3"),
    V4("V4"),
    V5("V5"),
    V6("V6");

    /** All twelve leads in conventional order. */
    public static final List<StandardLead> ALL = List.of(values());

    private final String label;

    StandardLead(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses a lead name, case-insensitively ({@code I}, {@code aVF}, {@code AVF}, {@code v1}). */
    public static StandardLead parse(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (StandardLead l : values()) {
            if (l.name().equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException(
                "unknown lead '" + name + "' (expected one of I, II, III, aVR, aVL, aVF, V1-V6)");
    }

    /**
     * Parses a comma-separated lead list: {@code all} or {@code 12} for all twelve, {@code limb}
     * for the six limb leads, {@code precordial} for V1-V6, or names such as {@code II,V1,V5}.
     */
    public static List<StandardLead> parseList(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "all", "12", "12-lead":
                return ALL;
            case "limb":
                return ALL.subList(0, 6);
            case "precordial", "chest":
                return ALL.subList(6, 12);
            default:
                break;
        }
        List<StandardLead> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            StandardLead l = parse(part);
            if (out.contains(l)) {
                throw new IllegalArgumentException("lead " + l.label + " listed twice in '" + spec + "'");
            }
            out.add(l);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty lead list '" + spec + "'");
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return label;
    }
}
