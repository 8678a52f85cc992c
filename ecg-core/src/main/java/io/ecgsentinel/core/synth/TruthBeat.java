package io.ecgsentinel.core.synth;

import io.ecgsentinel.core.wfdb.AnnotationCodes;

/**
 * One generated beat: the sample of its R peak (the centre of the dominant QRS wave) and its WFDB
 * beat symbol ({@code N} sinus or AF-conducted, {@code V} PVC or VT, {@code A} SVT, {@code /}
 * paced).
 *
 * @param sample R-peak sample index from the start of the recording
 * @param symbol WFDB beat symbol
 */
public record TruthBeat(long sample, String symbol) {

    /** The WFDB annotation code of {@link #symbol()}. */
    public int code() {
        return AnnotationCodes.code(symbol);
    }

    /** The AAMI EC57 class: N, S, V, F or Q. */
    public char aami() {
        return AnnotationCodes.aamiClass(code());
    }
}
