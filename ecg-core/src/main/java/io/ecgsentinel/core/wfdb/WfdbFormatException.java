package io.ecgsentinel.core.wfdb;

/** Thrown when a WFDB header, signal or annotation file does not follow the format. */
public class WfdbFormatException extends RuntimeException {
    public WfdbFormatException(String message) {
        super(message);
    }

    public WfdbFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
