package io.ecgsentinel.core.io;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Length-prefixed primitive arrays on {@link DataOutput} / {@link DataInput}, each written in one
 * bulk copy (Flink's {@code DataOutputView} is both), for hand-written state serializers: Java
 * serialization converts arrays element by element through its block buffer, which made it the
 * largest cost of the job's checkpoints. {@code null} arrays are written as length -1.
 */
public final class StateIO {

    private StateIO() {}

    public static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null && a.length > 0) {
            ByteBuffer b = ByteBuffer.allocate(4 * a.length);
            b.asFloatBuffer().put(a);
            out.write(b.array());
        }
    }

    public static float[] readFloats(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        byte[] bytes = new byte[4 * n];
        in.readFully(bytes);
        float[] a = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
        return a;
    }

    public static void writeShorts(DataOutput out, short[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null && a.length > 0) {
            ByteBuffer b = ByteBuffer.allocate(2 * a.length);
            b.asShortBuffer().put(a);
            out.write(b.array());
        }
    }

    public static short[] readShorts(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        byte[] bytes = new byte[2 * n];
        in.readFully(bytes);
        short[] a = new short[n];
        ByteBuffer.wrap(bytes).asShortBuffer().get(a);
        return a;
    }

    public static void writeDoubles(DataOutput out, double[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null && a.length > 0) {
            ByteBuffer b = ByteBuffer.allocate(8 * a.length);
            b.asDoubleBuffer().put(a);
            out.write(b.array());
        }
    }

    public static double[] readDoubles(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        byte[] bytes = new byte[8 * n];
        in.readFully(bytes);
        double[] a = new double[n];
        ByteBuffer.wrap(bytes).asDoubleBuffer().get(a);
        return a;
    }

    public static void writeLongs(DataOutput out, long[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null && a.length > 0) {
            ByteBuffer b = ByteBuffer.allocate(8 * a.length);
            b.asLongBuffer().put(a);
            out.write(b.array());
        }
    }

    public static long[] readLongs(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        byte[] bytes = new byte[8 * n];
        in.readFully(bytes);
        long[] a = new long[n];
        ByteBuffer.wrap(bytes).asLongBuffer().get(a);
        return a;
    }

    public static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null && a.length > 0) {
            ByteBuffer b = ByteBuffer.allocate(4 * a.length);
            b.asIntBuffer().put(a);
            out.write(b.array());
        }
    }

    public static int[] readInts(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        byte[] bytes = new byte[4 * n];
        in.readFully(bytes);
        int[] a = new int[n];
        ByteBuffer.wrap(bytes).asIntBuffer().get(a);
        return a;
    }

    public static void writeBooleans(DataOutput out, boolean[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null && a.length > 0) {
            byte[] b = new byte[a.length];
            for (int i = 0; i < a.length; i++) b[i] = a[i] ? (byte) 1 : (byte) 0;
            out.write(b);
        }
    }

    public static boolean[] readBooleans(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) a[i] = b[i] != 0;
        return a;
    }

    public static void writeBytes(DataOutput out, byte[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) out.write(a);
    }

    public static byte[] readBytes(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** Reads an array length, rejecting what no writer of this class produces. */
    private static int length(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > (1 << 28)) {
            throw new IOException("corrupt state: array length " + n);
        }
        return n;
    }

    /** Copies {@code src} into the same-length array {@code dst} (a restored detector's final fields). */
    public static void into(float[] src, float[] dst, String what) throws IOException {
        check(src == null ? -1 : src.length, dst.length, what);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    public static void into(double[] src, double[] dst, String what) throws IOException {
        check(src == null ? -1 : src.length, dst.length, what);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    public static void into(long[] src, long[] dst, String what) throws IOException {
        check(src == null ? -1 : src.length, dst.length, what);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    public static void into(int[] src, int[] dst, String what) throws IOException {
        check(src == null ? -1 : src.length, dst.length, what);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    public static void into(boolean[] src, boolean[] dst, String what) throws IOException {
        check(src == null ? -1 : src.length, dst.length, what);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    public static void into(byte[] src, byte[] dst, String what) throws IOException {
        check(src == null ? -1 : src.length, dst.length, what);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    private static void check(int got, int want, String what) throws IOException {
        if (got != want) {
            throw new IOException("corrupt state: " + what + " has " + got + " values, expected " + want);
        }
    }
}
