package io.ecgsentinel.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Serializes one generated Avro record type to and from Avro single-object encoding: {@code C3 01}, the
 * writer schema's 8-byte little-endian CRC-64-AVRO fingerprint, then the binary body. Decoding looks the
 * fingerprint up in a {@link SchemaStore} (by default {@link SchemaHistory#store()}) and resolves that
 * writer schema against the current one, so consumers read records written with any shipped version.
 * Failures are typed for dead-lettering: {@link UnknownSchemaException} for a fingerprint that is not
 * known or not readable as this type, {@link UndecodableException} for everything else. Lengths and item
 * counts inside a message are bounded by its size, so a corrupt record cannot exhaust the heap.
 *
 * <p>Thread-safe: one instance may be shared. Avro's encoder keeps its buffers in thread-locals, resolved
 * readers are cached per fingerprint in a concurrent map, and each call decodes with its own decoder. It
 * is not {@link java.io.Serializable}: in Flink, create it in {@code open()}.
 */
public final class AvroSerde<T extends SpecificRecord> {

    /** Length of the single-object header: two marker bytes and an 8-byte fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private final Class<T> type;
    private final SpecificData model;
    private final Schema readerSchema;
    private final SchemaStore store;
    private final BinaryMessageEncoder<T> encoder;
    private final ConcurrentMap<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, String> unreadable = new ConcurrentHashMap<>();

    /**
     * A serde for {@code type} that reads every schema version in {@link SchemaHistory}.
     *
     * @param type a class generated from {@code src/main/avro}, for example {@code EcgFrame.class}
     */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, SchemaHistory.store());
    }

    /**
     * A serde for {@code type} that finds writer schemas other than the current one in {@code store}.
     *
     * @param type a generated {@link SpecificRecord} class
     * @param store writer schemas by fingerprint; the current schema of {@code type} is always known
     */
    public AvroSerde(Class<T> type, SchemaStore store) {
        this.type = Objects.requireNonNull(type, "type");
        this.store = Objects.requireNonNull(store, "store");
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
        readers.put(fingerprint(readerSchema), newReader(readerSchema));
    }

    /** The current (reader and writer) schema of this serde's type. */
    public Schema schema() {
        return readerSchema;
    }

    /** The CRC-64-AVRO parsing fingerprint that single-object encoding puts in the header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Encodes {@code record} with the current schema.
     *
     * @throws RuntimeException from Avro if the record breaks its schema (for example a null required field)
     */
    public byte[] serialize(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            // encode() returns a fresh, exactly sized array; copy only if that ever changes.
            if (buffer.hasArray()
                    && buffer.arrayOffset() == 0
                    && buffer.position() == 0
                    && buffer.remaining() == buffer.array().length) {
                return buffer.array();
            }
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + type.getSimpleName() + " in memory failed", e);
        }
    }

    /**
     * Decodes one single-object message into a new record of the current schema.
     *
     * @param message the whole message, for example a Kafka record value (null is undecodable)
     * @throws UnknownSchemaException if the header is valid but its writer schema is unknown or unreadable
     * @throws UndecodableException if the bytes are not a valid message of a known schema
     */
    public T deserialize(byte[] message) throws DecodeException {
        if (message == null) {
            throw new UndecodableException("null message", null);
        }
        if (message.length < HEADER_LENGTH) {
            throw new UndecodableException(
                    "message of " + message.length + " bytes is shorter than the header", null);
        }
        if (message[0] != MARKER_0 || message[1] != MARKER_1) {
            throw new UndecodableException(
                    String.format(
                            "not an Avro single-object message: marker %02X %02X",
                            message[0] & 0xFF, message[1] & 0xFF),
                    null);
        }
        DatumReader<T> reader = readerFor(fingerprintOf(message));
        BoundedDecoder in = new BoundedDecoder(message, HEADER_LENGTH, message.length - HEADER_LENGTH);
        T record;
        int trailing;
        try {
            record = reader.read(null, in);
            trailing = in.remaining();
        } catch (IOException | RuntimeException e) {
            // RuntimeException too: corrupt bodies surface as AvroRuntimeException, AvroTypeException,
            // ArrayIndexOutOfBoundsException (enum index) and similar; none of them is a bug of ours.
            throw new UndecodableException(
                    "corrupt " + type.getSimpleName() + " body: " + e.getMessage(), e);
        }
        if (trailing != 0) {
            throw new UndecodableException(
                    trailing + " trailing bytes after a " + type.getSimpleName() + " body", null);
        }
        return record;
    }

    /** The writer-schema fingerprint in a message header; the message must be at least 10 bytes. */
    public static long fingerprintOf(byte[] message) {
        long fp = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
            fp = (fp << 8) | (message[i] & 0xFFL);
        }
        return fp;
    }

    private DatumReader<T> readerFor(long fingerprint) throws UnknownSchemaException {
        DatumReader<T> reader = readers.get(fingerprint);
        if (reader != null) {
            return reader;
        }
        String why = unreadable.get(fingerprint);
        if (why == null) {
            Schema writer = store.findByFingerprint(fingerprint);
            if (writer == null) {
                // Not cached: a store may learn the schema later.
                throw new UnknownSchemaException(
                        fingerprint,
                        String.format(
                                "no schema with fingerprint %016x in the store (expected %s)",
                                fingerprint, readerSchema.getFullName()));
            }
            SchemaCompatibility.SchemaPairCompatibility compatibility =
                    SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
            if (compatibility.getType() == SchemaCompatibilityType.COMPATIBLE) {
                return readers.computeIfAbsent(fingerprint, fp -> newReader(writer));
            }
            why =
                    String.format(
                            "writer schema %s (fingerprint %016x) cannot be read as %s: %s",
                            writer.getFullName(),
                            fingerprint,
                            readerSchema.getFullName(),
                            compatibility.getResult().getIncompatibilities());
            unreadable.putIfAbsent(fingerprint, why);
        }
        throw new UnknownSchemaException(fingerprint, why);
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> newReader(Schema writer) {
        return (DatumReader<T>) model.createDatumReader(writer, readerSchema);
    }
}
