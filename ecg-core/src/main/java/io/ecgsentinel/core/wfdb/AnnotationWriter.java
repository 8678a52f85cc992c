package io.ecgsentinel.core.wfdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes MIT-format WFDB annotation files ({@code .atr}, {@code .qrs}, ...) that {@link
 * AnnotationReader} and the WFDB tools read back as the same annotations.
 *
 * <p>The encoding follows what the WFDB library's {@code putann} writes, so files match the
 * PhysioNet originals: one 16-bit word per annotation (code in the upper 6 bits, time since the
 * previous annotation in the lower 10); a SKIP word with a 32-bit interval before it when the
 * interval does not fit in 10 bits; SUB only for a non-zero subtype; CHN and NUM only when they
 * differ from the previous annotation's (the reader carries them forward); AUX with the string
 * bytes padded to an even length; and a zero word at the end. A code-0 annotation would encode as
 * the end word when its interval is 0, so (as in WFDB) it is written as a SKIP to one sample before
 * it plus an interval of 1.
 *
 * <p>Aux strings are written as their bytes by default, as wfdb-python does. The original MIT-BIH
 * files store them NUL-terminated (the length counts the NUL); the {@code nulTerminatedAux}
 * variants write that form, which reproduces those files byte for byte. Readers see the same
 * strings either way.
 */
public final class AnnotationWriter {

    /** Largest interval that fits in the 10-bit time field. */
    private static final int MAX_INTERVAL = 1023;

    /** Largest annotation code; 59-63 are the format's pseudo-codes. */
    private static final int MAX_CODE = 58;

    private AnnotationWriter() {}

    /** Writes {@code annotations} (in non-decreasing sample order) to {@code file}. */
    public static void write(Path file, List<Annotation> annotations) throws IOException {
        write(file, annotations, false);
    }

    /** Writes annotations, with NUL-terminated aux strings if asked (the MIT-BIH form). */
    public static void write(Path file, List<Annotation> annotations, boolean nulTerminatedAux)
            throws IOException {
        byte[] bytes = encode(annotations, nulTerminatedAux);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, bytes);
    }

    /**
     * Encodes annotations in MIT format.
     *
     * @throws IllegalArgumentException when the annotations are out of order or a field does not
     *     fit the format (code 0-58, subtype and num -512..511, channel 0-1023, aux up to 254
     *     ISO-8859-1 characters without NUL)
     */
    public static byte[] encode(List<Annotation> annotations) {
        return encode(annotations, false);
    }

    /** Encodes annotations in MIT format, with NUL-terminated aux strings if asked. */
    public static byte[] encode(List<Annotation> annotations, boolean nulTerminatedAux) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(annotations.size() * 2 + 16);
        long prevTime = 0;
        int prevNum = 0;
        int prevChan = 0;
        for (int i = 0; i < annotations.size(); i++) {
            Annotation a = annotations.get(i);
            check(a, i);
            long delta = a.sample() - prevTime;
            if (delta < 0) {
                throw new IllegalArgumentException(
                        "annotation "
                                + i
                                + " at sample "
                                + a.sample()
                                + " comes before the previous one at "
                                + prevTime
                                + "; sort them first");
            }
            if (a.code() == 0) {
                skip(out, delta - 1);
                delta = 1;
            } else if (delta > MAX_INTERVAL) {
                skip(out, delta);
                delta = 0;
            }
            word(out, (a.code() << 10) | (int) delta);
            if (a.subtype() != 0) {
                word(out, (AnnotationCodes.SUB << 10) | (a.subtype() & 0x3FF));
            }
            if (a.channel() != prevChan) {
                word(out, (AnnotationCodes.CHN << 10) | (a.channel() & 0x3FF));
            }
            if (a.num() != prevNum) {
                word(out, (AnnotationCodes.NUM << 10) | (a.num() & 0x3FF));
            }
            String aux = a.aux();
            if (aux != null && !aux.isEmpty()) {
                byte[] b = aux.getBytes(StandardCharsets.ISO_8859_1);
                int len = b.length + (nulTerminatedAux ? 1 : 0);
                word(out, (AnnotationCodes.AUX << 10) | len);
                out.write(b, 0, b.length);
                if (nulTerminatedAux) {
                    out.write(0);
                }
                if ((len & 1) == 1) {
                    out.write(0); // pad to a whole 16-bit word
                }
            }
            prevTime = a.sample();
            prevNum = a.num();
            prevChan = a.channel();
        }
        word(out, 0);
        return out.toByteArray();
    }

    private static void check(Annotation a, int i) {
        String where = "annotation " + i + " at sample " + a.sample() + ": ";
        if (a.sample() < 0) {
            throw new IllegalArgumentException(where + "negative sample");
        }
        if (a.code() < 0 || a.code() > MAX_CODE) {
            throw new IllegalArgumentException(
                    where + "code " + a.code() + " is outside 0-" + MAX_CODE);
        }
        if (a.subtype() < -512 || a.subtype() > 511) {
            throw new IllegalArgumentException(
                    where + "subtype " + a.subtype() + " does not fit 10 bits");
        }
        if (a.num() < -512 || a.num() > 511) {
            throw new IllegalArgumentException(where + "num " + a.num() + " does not fit 10 bits");
        }
        if (a.channel() < 0 || a.channel() > 1023) {
            throw new IllegalArgumentException(
                    where + "channel " + a.channel() + " is outside 0-1023");
        }
        String aux = a.aux();
        if (aux != null && !aux.isEmpty()) {
            if (aux.length() > 254) {
                throw new IllegalArgumentException(where + "aux string longer than 254 characters");
            }
            for (int k = 0; k < aux.length(); k++) {
                char c = aux.charAt(k);
                // the reader ends an aux string at NUL, and the file stores single bytes
                if (c == 0 || c > 0xFF) {
                    throw new IllegalArgumentException(
                            where + "aux character " + (int) c + " is NUL or not ISO-8859-1");
                }
            }
        }
    }

    private static void skip(ByteArrayOutputStream out, long interval) {
        if (interval > Integer.MAX_VALUE || interval < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(
                    "interval of " + interval + " samples does not fit a SKIP");
        }
        int v = (int) interval;
        word(out, AnnotationCodes.SKIP << 10);
        // the 32-bit interval is stored high 16 bits first, each half little-endian
        word(out, (v >>> 16) & 0xFFFF);
        word(out, v & 0xFFFF);
    }

    private static void word(ByteArrayOutputStream out, int w) {
        out.write(w & 0xFF);
        out.write((w >>> 8) & 0xFF);
    }
}
