package io.ecgsentinel.schemas;

import io.ecgsentinel.schemas.avro.DeadLetterReason;

/**
 * Bytes that are not a valid message: null or too short, a wrong marker, a body that is truncated, has
 * trailing bytes, or holds impossible values (a length longer than the message, an enum index out of
 * range). Such bytes stay broken whatever schemas are registered, unlike {@link UnknownSchemaException}.
 */
public final class UndecodableException extends DecodeException {

    private static final long serialVersionUID = 1L;

    UndecodableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public DeadLetterReason reason() {
        return DeadLetterReason.UNDECODABLE;
    }
}
