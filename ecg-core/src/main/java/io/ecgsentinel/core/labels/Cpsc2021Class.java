package io.ecgsentinel.core.labels;

import io.ecgsentinel.core.wfdb.WfdbHeader;

import java.util.Locale;

/**
 * The record class of a CPSC 2021 (paroxysmal atrial fibrillation challenge) record, which the
 * challenge states as a header comment such as {@code # paroxysmal atrial fibrillation}: no AF, AF
 * throughout, or AF episodes. The episodes themselves are in the {@code .atr} rhythm annotations
 * (see {@link RhythmEpisodes}).
 */
public enum Cpsc2021Class {
    NON_AF("non atrial fibrillation"),
    PERSISTENT_AF("persistent atrial fibrillation"),
    PAROXYSMAL_AF("paroxysmal atrial fibrillation");

    private final String comment;

    Cpsc2021Class(String comment) {
        this.comment = comment;
    }

    /** The header comment that states this class. */
    public String comment() {
        return comment;
    }

    /**
     * The class stated in a CPSC 2021 header's comments.
     *
     * @throws IllegalArgumentException when no comment states a class
     */
    public static Cpsc2021Class of(WfdbHeader header) {
        for (String c : header.comments()) {
            String s = c.strip().toLowerCase(Locale.ROOT);
            for (Cpsc2021Class k : values()) {
                if (s.equals(k.comment)) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException(
                "record "
                        + header.recordName()
                        + " has no CPSC 2021 class comment (non / persistent / paroxysmal atrial"
                        + " fibrillation); comments: "
                        + header.comments());
    }
}
