package io.ecgsentinel.schemas;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder over one in-memory message that refuses any length or item count larger than the bytes
 * left. Avro's own decoder allocates what a length prefix claims before it reads (up to 2 GiB per bytes
 * field, or an array of 2^31 references), so one corrupt varint in a Kafka record could throw
 * OutOfMemoryError in a TaskManager and put the job in a restart loop. The item-count check assumes every
 * array or map item takes at least one byte, which holds for all ECG Sentinel schemas (no arrays of null
 * or of empty records).
 */
final class BoundedDecoder extends Decoder {

    private final BinaryDecoder in;
    private final InputStream unread;

    BoundedDecoder(byte[] message, int offset, int length) {
        this.in = DecoderFactory.get().binaryDecoder(message, offset, length, null);
        // For an array-backed BinaryDecoder, available() is exactly the number of unread bytes.
        this.unread = in.inputStream();
    }

    int remaining() throws IOException {
        return unread.available();
    }

    private int checkedLength(long length) throws IOException {
        int left = remaining();
        if (length < 0 || length > left) {
            throw new EOFException("length " + length + " but only " + left + " bytes left");
        }
        return (int) length;
    }

    private long checkedCount(long count) throws IOException {
        int left = remaining();
        if (count > left) {
            throw new EOFException("item count " + count + " but only " + left + " bytes left");
        }
        return count;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = checkedLength(in.readLong());
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        skipBytes();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = checkedLength(in.readLong());
        ByteBuffer result =
                old != null && old.hasArray() && length <= old.capacity()
                        ? old.clear()
                        : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.arrayOffset(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(checkedLength(in.readLong()));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkedCount(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checkedCount(in.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return checkedCount(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checkedCount(in.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
