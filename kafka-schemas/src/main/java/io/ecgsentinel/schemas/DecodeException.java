package io.ecgsentinel.schemas;

import io.ecgsentinel.schemas.avro.DeadLetterReason;

/**
 * A message could not be turned into a record. It is checked and sealed so a consumer must decide what
 * to do with bad input, and each subclass names the {@link DeadLetterReason} it maps to, so the Flink job
 * can dead-letter with {@code e.reason()} instead of matching on types or messages.
 */
public abstract sealed class DecodeException extends Exception
        permits UnknownSchemaException, UndecodableException {

    private static final long serialVersionUID = 1L;

    DecodeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The dead-letter reason code for this failure. */
    public abstract DeadLetterReason reason();
}
