package io.ecgsentinel.models.serve;

/** A model directory that cannot be used, or an inference failure; the message names the path and the cause. */
public class EcgModelException extends RuntimeException {
    public EcgModelException(String message) {
        super(message);
    }

    public EcgModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
