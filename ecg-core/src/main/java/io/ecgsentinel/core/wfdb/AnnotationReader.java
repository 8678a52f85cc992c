package io.ecgsentinel.core.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads MIT-format WFDB annotation files ({@code .atr}, {@code .qrs}, ...).
 *
 * <p>Each entry is a 16-bit little-endian word: the upper 6 bits are the code, the lower 10 the
 * time since the previous annotation. The pseudo-codes SKIP (a 32-bit interval follows), NUM, SUB,
 * CHN and AUX (a string of the given length follows, padded to an even length) modify the
 * annotation being built. NUM and CHN persist across annotations as in WFDB; SUB and AUX do not.
 */
public final class AnnotationReader {

    private AnnotationReader() {}

    /** Reads {@code <record>.<extension>}, for example {@code read(dir.resolve("100"), "atr")}. */
    public static List<Annotation> read(Path recordPath, String extension) throws IOException {
        String base = recordPath.toString();
        if (base.endsWith(".hea")) {
            base = base.substring(0, base.length() - 4);
        }
        return read(Path.of(base + "." + extension));
    }

    /** Reads an annotation file. */
    public static List<Annotation> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses the bytes of an annotation file; {@code source} names it in error messages. */
    public static List<Annotation> parse(byte[] b, String source) {
        List<Annotation> out = new ArrayList<>();
        long time = 0;
        int num = 0;
        int chan = 0;
        // the annotation being assembled; its modifiers follow it in the file
        boolean pending = false;
        long pTime = 0;
        int pCode = 0;
        int pSub = 0;
        int pNum = 0;
        int pChan = 0;
        String pAux = "";
        int p = 0;
        while (p + 1 < b.length) {
            int word = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
            p += 2;
            int code = word >>> 10;
            int value = word & 0x3FF;
            if (code == 0 && value == 0) {
                break;
            }
            switch (code) {
                case AnnotationCodes.SKIP -> {
                    if (p + 4 > b.length) {
                        throw new WfdbFormatException(
                                source + ": truncated SKIP at byte " + (p - 2));
                    }
                    int hi = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
                    int lo = (b[p + 2] & 0xFF) | ((b[p + 3] & 0xFF) << 8);
                    time += (hi << 16) | lo;
                    p += 4;
                }
                case AnnotationCodes.NUM -> {
                    num = (value << 22) >> 22; // signed 10-bit
                    pNum = num;
                }
                case AnnotationCodes.SUB -> pSub = (value << 22) >> 22;
                case AnnotationCodes.CHN -> {
                    chan = value;
                    pChan = chan;
                }
                case AnnotationCodes.AUX -> {
                    if (p + value > b.length) {
                        throw new WfdbFormatException(
                                source + ": truncated AUX at byte " + (p - 2));
                    }
                    int len = value;
                    // WFDB aux strings may be NUL-terminated inside their declared length
                    int end = p;
                    while (end < p + len && b[end] != 0) {
                        end++;
                    }
                    pAux = new String(b, p, end - p, StandardCharsets.ISO_8859_1);
                    p += len + (len & 1);
                }
                default -> {
                    if (pending) {
                        out.add(new Annotation(pTime, pCode, pSub, pChan, pNum, pAux));
                    }
                    time += value;
                    pending = true;
                    pTime = time;
                    pCode = code;
                    pSub = 0;
                    pNum = num;
                    pChan = chan;
                    pAux = "";
                }
            }
        }
        if (pending) {
            out.add(new Annotation(pTime, pCode, pSub, pChan, pNum, pAux));
        }
        return out;
    }
}
