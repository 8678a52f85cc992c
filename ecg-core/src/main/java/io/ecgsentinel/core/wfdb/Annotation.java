package io.ecgsentinel.core.wfdb;

/**
 * One WFDB annotation: a labelled sample position, as stored in MIT-format annotation files.
 *
 * @param sample sample index (in frames of the record) the annotation points to
 * @param code WFDB annotation code (1 = N, 5 = V, 28 = rhythm change, ...; see {@link
 *     AnnotationCodes})
 * @param subtype the {@code subtyp} field
 * @param channel the {@code chan} field
 * @param num the {@code num} field
 * @param aux the auxiliary string (rhythm labels such as {@code (AFIB} or {@code (VT}), or empty
 */
public record Annotation(long sample, int code, int subtype, int channel, int num, String aux) {

    /** The annotation's mnemonic, for example {@code N}, {@code V} or {@code +}. */
    public String symbol() {
        return AnnotationCodes.symbol(code);
    }

    /** True when this annotation labels a QRS complex (a beat). */
    public boolean isBeat() {
        return AnnotationCodes.isBeat(code);
    }

    /** True for a rhythm change ({@code +}) with a rhythm label in its aux string. */
    public boolean isRhythmChange() {
        return code == AnnotationCodes.RHYTHM && aux != null && aux.startsWith("(");
    }

    /** The rhythm label without the opening parenthesis ({@code AFIB}, {@code VT}), or empty. */
    public String rhythm() {
        if (!isRhythmChange()) {
            return "";
        }
        String r = aux.substring(1);
        int nul = r.indexOf('\0');
        return (nul >= 0 ? r.substring(0, nul) : r).strip();
    }
}
