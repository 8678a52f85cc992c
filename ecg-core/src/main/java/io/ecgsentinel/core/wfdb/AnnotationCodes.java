package io.ecgsentinel.core.wfdb;

import java.util.Arrays;

/** WFDB annotation codes, their mnemonics and the AAMI EC57 beat classes. */
public final class AnnotationCodes {

    public static final int NOTQRS = 0;
    public static final int NORMAL = 1;
    public static final int PVC = 5;
    public static final int RHYTHM = 28;
    public static final int NOISE = 14;

    /** Pseudo-codes of the MIT format. */
    public static final int SKIP = 59;

    public static final int NUM = 60;
    public static final int SUB = 61;
    public static final int CHN = 62;
    public static final int AUX = 63;

    private static final String[] SYMBOLS = new String[64];
    private static final boolean[] BEAT = new boolean[64];

    static {
        Arrays.fill(SYMBOLS, "");
        String[] table = {
            "1", "N", "2", "L", "3", "R", "4", "a", "5", "V", "6", "F", "7", "J", "8", "A", "9",
            "S", "10", "E", "11", "j", "12", "/", "13", "Q", "14", "~", "16", "|", "18", "s", "19",
            "T", "20", "*", "21", "D", "22", "\"", "23", "=", "24", "p", "25", "B", "26", "^", "27",
            "t", "28", "+", "29", "u", "30", "?", "31", "!", "32", "[", "33", "]", "34", "e", "35",
            "n", "36", "@", "37", "x", "38", "f", "39", "(", "40", ")", "41", "r"
        };
        for (int i = 0; i < table.length; i += 2) {
            SYMBOLS[Integer.parseInt(table[i])] = table[i + 1];
        }
        for (int c :
                new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 34, 35, 38, 41}) {
            BEAT[c] = true;
        }
    }

    private AnnotationCodes() {}

    /** Mnemonic of a code, or an empty string for codes without one. */
    public static String symbol(int code) {
        return code >= 0 && code < SYMBOLS.length ? SYMBOLS[code] : "";
    }

    /** The code of a mnemonic, or -1. */
    public static int code(String symbol) {
        for (int i = 0; i < SYMBOLS.length; i++) {
            if (SYMBOLS[i].equals(symbol)) {
                return i;
            }
        }
        return -1;
    }

    /** True for codes that label a QRS complex (WFDB's isqrs). */
    public static boolean isBeat(int code) {
        return code >= 0 && code < BEAT.length && BEAT[code];
    }

    /**
     * The AAMI EC57 class of a beat code: N (normal and bundle branch block, escapes), S
     * (supraventricular ectopic), V (ventricular ectopic), F (fusion), Q (paced, unclassifiable),
     * or {@code '-'} for non-beat codes.
     */
    public static char aamiClass(int code) {
        return switch (symbol(code)) {
            case "N", "L", "R", "e", "j", "B" -> 'N';
            case "A", "a", "J", "S" -> 'S';
            case "V", "E", "r" -> 'V';
            case "F" -> 'F';
            case "/", "f", "Q", "?" -> 'Q';
            default -> '-';
        };
    }
}
