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

    /** Bytes converted per bulk copy: arrays pass through a per-thread buffer of this size. */
    static final int CHUNK = 1 << 15;

    /**
     * Each thread's conversion buffer (big-endian, as {@link DataOutput} writes): a checkpoint
     * writes every patient's arrays, and a fresh buffer per array was most of the bytes the
     * state serializers allocated.
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(CHUNK));

    private StateIO() {}

    public static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 4; from < a.length; from += step) {
            int n = Math.min(step, a.length - from);
            b.clear();
            b.asFloatBuffer().put(a, from, n);
            out.write(b.array(), 0, 4 * n);
        }
    }

    public static float[] readFloats(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        float[] a = new float[n];
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 4; from < n; from += step) {
            int k = Math.min(step, n - from);
            in.readFully(b.array(), 0, 4 * k);
            b.clear();
            b.asFloatBuffer().get(a, from, k);
        }
        return a;
    }

    public static void writeShorts(DataOutput out, short[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 2; from < a.length; from += step) {
            int n = Math.min(step, a.length - from);
            b.clear();
            b.asShortBuffer().put(a, from, n);
            out.write(b.array(), 0, 2 * n);
        }
    }

    public static short[] readShorts(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        short[] a = new short[n];
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 2; from < n; from += step) {
            int k = Math.min(step, n - from);
            in.readFully(b.array(), 0, 2 * k);
            b.clear();
            b.asShortBuffer().get(a, from, k);
        }
        return a;
    }

    public static void writeDoubles(DataOutput out, double[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 8; from < a.length; from += step) {
            int n = Math.min(step, a.length - from);
            b.clear();
            b.asDoubleBuffer().put(a, from, n);
            out.write(b.array(), 0, 8 * n);
        }
    }

    public static double[] readDoubles(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        double[] a = new double[n];
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 8; from < n; from += step) {
            int k = Math.min(step, n - from);
            in.readFully(b.array(), 0, 8 * k);
            b.clear();
            b.asDoubleBuffer().get(a, from, k);
        }
        return a;
    }

    public static void writeLongs(DataOutput out, long[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 8; from < a.length; from += step) {
            int n = Math.min(step, a.length - from);
            b.clear();
            b.asLongBuffer().put(a, from, n);
            out.write(b.array(), 0, 8 * n);
        }
    }

    public static long[] readLongs(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        long[] a = new long[n];
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 8; from < n; from += step) {
            int k = Math.min(step, n - from);
            in.readFully(b.array(), 0, 8 * k);
            b.clear();
            b.asLongBuffer().get(a, from, k);
        }
        return a;
    }

    public static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 4; from < a.length; from += step) {
            int n = Math.min(step, a.length - from);
            b.clear();
            b.asIntBuffer().put(a, from, n);
            out.write(b.array(), 0, 4 * n);
        }
    }

    public static int[] readInts(DataInput in) throws IOException {
        int n = length(in);
        if (n < 0) return null;
        int[] a = new int[n];
        ByteBuffer b = SCRATCH.get();
        for (int from = 0, step = CHUNK / 4; from < n; from += step) {
            int k = Math.min(step, n - from);
            in.readFully(b.array(), 0, 4 * k);
            b.clear();
            b.asIntBuffer().get(a, from, k);
        }
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
