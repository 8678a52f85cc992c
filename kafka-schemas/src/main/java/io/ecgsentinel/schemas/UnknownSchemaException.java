package io.ecgsentinel.schemas;

import io.ecgsentinel.schemas.avro.DeadLetterReason;

/**
 * A well-formed single-object message whose writer schema the reader cannot use: its fingerprint is not in
 * the {@link org.apache.avro.message.SchemaStore}, or it names a schema that cannot be resolved against the
 * expected type (for example an Alert on the frames topic). Kept apart from {@link UndecodableException}
 * because the remedy differs: these bytes are probably fine and become readable once the schema is shipped.
 */
public final class UnknownSchemaException extends DecodeException {

    private static final long serialVersionUID = 1L;

    private final long fingerprint;

    UnknownSchemaException(long fingerprint, String message) {
        super(message, null);
        this.fingerprint = fingerprint;
    }

    /** The CRC-64-AVRO parsing fingerprint found in the message header. */
    public long fingerprint() {
        return fingerprint;
    }

    @Override
    public DeadLetterReason reason() {
        return DeadLetterReason.UNKNOWN_SCHEMA;
    }
}
