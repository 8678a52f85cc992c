package io.ecgsentinel.core.synth;

import java.util.Locale;

/** Parses and prints human durations such as {@code 250ms}, {@code 60s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {

    private Durations() {}

    /**
     * Parses a duration into seconds. Accepts a plain number (seconds) or one or more
     * number+unit parts with units {@code ms}, {@code s}, {@code m}/{@code min}, {@code h}.
     *
     * @throws IllegalArgumentException with a message quoting the text when it is not a duration
     */
    public static double parseSeconds(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException notPlain) {
            // fall through to unit parsing
        }
        double total = 0;
        int i = 0;
        boolean any = false;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (start == unitStart || unitStart == i) {
                throw bad(text);
            }
            double v;
            try {
                v = Double.parseDouble(s.substring(start, unitStart));
            } catch (NumberFormatException e) {
                throw bad(text);
            }
            total += switch (s.substring(unitStart, i)) {
                case "ms" -> v / 1000;
                case "s", "sec" -> v;
                case "m", "min" -> v * 60;
                case "h" -> v * 3600;
                default -> throw bad(text);
            };
            any = true;
        }
        if (!any || !Double.isFinite(total) || total < 0) {
            throw bad(text);
        }
        return total;
    }

    /** Prints seconds compactly ({@code 90s}, {@code 5m}, {@code 250ms}, {@code 12.5s}). */
    public static String format(double seconds) {
        if (seconds != 0 && Math.abs(seconds) < 1 && Math.rint(seconds * 1000) == seconds * 1000) {
            return (long) Math.rint(seconds * 1000) + "ms";
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return (long) (seconds / 60) + "m";
        }
        if (seconds == Math.rint(seconds)) {
            return (long) seconds + "s";
        }
        return String.format(Locale.ROOT, "%.6gs", seconds).replaceAll("\\.?0+s$", "s");
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException(
                "'" + text + "' is not a duration (examples: 500ms, 60s, 5m, 1h, 90)");
    }
}
