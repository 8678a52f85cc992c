package io.ecgsentinel.core.io;

/**
 * A CSV input that cannot be used, with the file and 1-based line in the message (and in {@link
 * #line()}) so the user can find the bad cell.
 */
public class CsvFormatException extends RuntimeException {

    private final int line;

    public CsvFormatException(String source, int line, String message) {
        super(source + (line > 0 ? " line " + line : "") + ": " + message);
        this.line = line;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
