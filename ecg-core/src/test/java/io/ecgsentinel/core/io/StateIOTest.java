package io.ecgsentinel.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StateIOTest {

    @Test
    void shortArraysRoundTripWithNullAndEmptyAndExtremes() throws IOException {
        short[] values = {0, 1, -1, Short.MIN_VALUE, Short.MAX_VALUE, 1234, -4321};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            StateIO.writeShorts(out, values);
            StateIO.writeShorts(out, null);
            StateIO.writeShorts(out, new short[0]);
            out.writeInt(42); // what follows must still be where it belongs
        }
        // a length plus two bytes per value, no per-element framing
        assertThat(bytes.size()).isEqualTo(4 + 2 * values.length + 4 + 4 + 4);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(StateIO.readShorts(in)).containsExactly(values);
            assertThat(StateIO.readShorts(in)).isNull();
            assertThat(StateIO.readShorts(in)).isEmpty();
            assertThat(in.readInt()).isEqualTo(42);
        }
    }

    @Test
    void arraysLongerThanTheConversionBufferKeepTheFormatOfElementWiseWrites() throws IOException {
        java.util.Random r = new java.util.Random(5);
        int n = StateIO.CHUNK + 777; // several chunks for every element size, the last one partial
        float[] f = new float[n];
        short[] sh = new short[n];
        double[] d = new double[n];
        long[] l = new long[n];
        int[] i = new int[n];
        for (int k = 0; k < n; k++) {
            f[k] = (float) r.nextGaussian();
            sh[k] = (short) r.nextInt();
            d[k] = r.nextGaussian();
            l[k] = r.nextLong();
            i[k] = r.nextInt();
        }
        ByteArrayOutputStream bulk = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bulk)) {
            StateIO.writeFloats(out, f);
            StateIO.writeShorts(out, sh);
            StateIO.writeDoubles(out, d);
            StateIO.writeLongs(out, l);
            StateIO.writeInts(out, i);
        }
        // the same bytes as DataOutput's own element-by-element writes: state written before still reads
        ByteArrayOutputStream each = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(each)) {
            out.writeInt(n);
            for (float v : f) out.writeFloat(v);
            out.writeInt(n);
            for (short v : sh) out.writeShort(v);
            out.writeInt(n);
            for (double v : d) out.writeDouble(v);
            out.writeInt(n);
            for (long v : l) out.writeLong(v);
            out.writeInt(n);
            for (int v : i) out.writeInt(v);
        }
        assertThat(bulk.toByteArray()).isEqualTo(each.toByteArray());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bulk.toByteArray()))) {
            assertThat(StateIO.readFloats(in)).containsExactly(f);
            assertThat(StateIO.readShorts(in)).containsExactly(sh);
            assertThat(StateIO.readDoubles(in)).containsExactly(d);
            assertThat(StateIO.readLongs(in)).containsExactly(l);
            assertThat(StateIO.readInts(in)).containsExactly(i);
        }
    }
}
