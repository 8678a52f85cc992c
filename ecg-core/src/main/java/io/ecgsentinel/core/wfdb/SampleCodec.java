package io.ecgsentinel.core.wfdb;

/**
 * Decodes and encodes the sample stream of one WFDB signal file in a given storage format.
 *
 * <p>The packed formats (212, 310, 311) pack consecutive samples of the interleaved stream, so
 * decoding works on the whole stream before it is split into signals. Format 8 stores first
 * differences; both directions here work on the differences themselves (see {@link WfdbRecord} and
 * {@link WfdbWriter} for the per-signal running sum).
 *
 * <p>The encoder exists so that every format can be proven by an encode/decode round trip (the
 * shared data only holds formats 16 and 212) and so that {@link WfdbWriter} can write formats other
 * than its default 16. Bit layouts follow the WFDB signal(5) specification.
 */
final class SampleCodec {

    private SampleCodec() {}

    /** How many whole samples {@code bytes} bytes hold in {@code format}. */
    static long samplesIn(int format, long bytes) {
        return switch (format) {
            case 8, 80 -> bytes;
            case 16, 61, 160 -> bytes / 2;
            case 24 -> bytes / 3;
            case 32 -> bytes / 4;
            case 212 -> (bytes / 3) * 2 + (bytes % 3 >= 2 ? 1 : 0);
            case 310, 311 -> (bytes / 4) * 3 + (bytes % 4 >= 2 ? 1 : 0);
            default -> throw new WfdbFormatException("unsupported signal format " + format);
        };
    }

    /** Decodes {@code n} samples starting at byte {@code off}. */
    static int[] decode(int format, byte[] b, int off, int n) {
        int[] out = new int[n];
        switch (format) {
            case 16 -> {
                for (int i = 0, p = off; i < n; i++, p += 2) {
                    out[i] = (short) ((b[p] & 0xFF) | (b[p + 1] << 8));
                }
            }
            case 61 -> {
                for (int i = 0, p = off; i < n; i++, p += 2) {
                    out[i] = (short) ((b[p + 1] & 0xFF) | (b[p] << 8));
                }
            }
            case 160 -> {
                for (int i = 0, p = off; i < n; i++, p += 2) {
                    out[i] = ((b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8)) - 32768;
                }
            }
            case 24 -> {
                for (int i = 0, p = off; i < n; i++, p += 3) {
                    out[i] = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] << 16);
                }
            }
            case 32 -> {
                for (int i = 0, p = off; i < n; i++, p += 4) {
                    out[i] =
                            (b[p] & 0xFF)
                                    | ((b[p + 1] & 0xFF) << 8)
                                    | ((b[p + 2] & 0xFF) << 16)
                                    | (b[p + 3] << 24);
                }
            }
            case 80 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (b[off + i] & 0xFF) - 128;
                }
            }
            case 8 -> {
                // First differences. They are returned as stored: the running sum has to be
                // taken per signal (starting from the header's initial value) after the
                // interleaved stream is split, which WfdbRecord does.
                for (int i = 0; i < n; i++) {
                    out[i] = b[off + i];
                }
            }
            case 212 -> {
                int p = off;
                for (int i = 0; i < n; i += 2, p += 3) {
                    int b0 = b[p] & 0xFF;
                    int b1 = b[p + 1] & 0xFF;
                    out[i] = signExtend(b0 | ((b1 & 0x0F) << 8), 12);
                    if (i + 1 < n) {
                        int b2 = b[p + 2] & 0xFF;
                        out[i + 1] = signExtend(b2 | ((b1 & 0xF0) << 4), 12);
                    }
                }
            }
            case 310 -> {
                int p = off;
                for (int i = 0; i < n; i += 3, p += 4) {
                    int w0 = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
                    out[i] = signExtend((w0 >> 1) & 0x3FF, 10);
                    if (i + 1 < n) {
                        int w1 = (b[p + 2] & 0xFF) | ((b[p + 3] & 0xFF) << 8);
                        out[i + 1] = signExtend((w1 >> 1) & 0x3FF, 10);
                        if (i + 2 < n) {
                            out[i + 2] =
                                    signExtend(
                                            ((w0 >> 11) & 0x1F) | (((w1 >> 11) & 0x1F) << 5), 10);
                        }
                    }
                }
            }
            case 311 -> {
                int p = off;
                for (int i = 0; i < n; i += 3, p += 4) {
                    long w =
                            (b[p] & 0xFFL)
                                    | ((b[p + 1] & 0xFFL) << 8)
                                    | (p + 2 < b.length ? (b[p + 2] & 0xFFL) << 16 : 0)
                                    | (p + 3 < b.length ? (b[p + 3] & 0xFFL) << 24 : 0);
                    out[i] = signExtend((int) (w & 0x3FF), 10);
                    if (i + 1 < n) {
                        out[i + 1] = signExtend((int) ((w >> 10) & 0x3FF), 10);
                    }
                    if (i + 2 < n) {
                        out[i + 2] = signExtend((int) ((w >> 20) & 0x3FF), 10);
                    }
                }
            }
            default -> throw new WfdbFormatException("unsupported signal format " + format);
        }
        return out;
    }

    /** Bytes needed to store {@code n} samples in {@code format} (partial groups rounded up). */
    static long bytesFor(int format, long n) {
        return switch (format) {
            case 8, 80 -> n;
            case 16, 61, 160 -> 2 * n;
            case 24 -> 3 * n;
            case 32 -> 4 * n;
                // a trailing odd sample of a 212 pair takes one 16-bit word, as WFDB flushes it
            case 212 -> (n / 2) * 3 + (n % 2 == 1 ? 2 : 0);
                // trailing samples of a 310/311 triple take one 16-bit word each
            case 310, 311 -> (n / 3) * 4 + (n % 3) * 2;
            default -> throw new WfdbFormatException("unsupported signal format " + format);
        };
    }

    /**
     * The stored value that marks an invalid sample (a gap) in {@code format}: the most negative
     * value the format can hold, as WFDB and wfdb-python use it. Format 8 and null signals (format
     * 0) use {@link WfdbRecord#INVALID_SAMPLE}.
     */
    static int invalidValue(int format) {
        return switch (format) {
            case 80 -> -128;
            case 212 -> -2048;
            case 310, 311 -> -512;
            case 24 -> -(1 << 23);
            case 32 -> Integer.MIN_VALUE;
            default -> WfdbRecord.INVALID_SAMPLE;
        };
    }

    /** The range of values {@code format} can store, as {min, max}. */
    static int[] range(int format) {
        return switch (format) {
            case 8, 80 -> new int[] {-128, 127};
            case 16, 61, 160 -> new int[] {-32768, 32767};
            case 24 -> new int[] {-(1 << 23), (1 << 23) - 1};
            case 32 -> new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case 212 -> new int[] {-2048, 2047};
            case 310, 311 -> new int[] {-512, 511};
            default -> throw new WfdbFormatException("unsupported signal format " + format);
        };
    }

    /**
     * Encodes an interleaved sample stream (for format 8: the first differences) into the bytes of
     * a signal file. Values outside the format's range are rejected rather than wrapped.
     */
    static byte[] encode(int format, int[] s) {
        int[] r = range(format);
        for (int i = 0; i < s.length; i++) {
            if (s[i] < r[0] || s[i] > r[1]) {
                throw new IllegalArgumentException(
                        "sample "
                                + i
                                + " = "
                                + s[i]
                                + " does not fit format "
                                + format
                                + " ["
                                + r[0]
                                + ", "
                                + r[1]
                                + "]");
            }
        }
        long size = bytesFor(format, s.length);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("signal file would exceed 2 GB; split the record");
        }
        byte[] b = new byte[(int) size];
        int n = s.length;
        switch (format) {
            case 16 -> {
                for (int i = 0, p = 0; i < n; i++, p += 2) {
                    b[p] = (byte) s[i];
                    b[p + 1] = (byte) (s[i] >> 8);
                }
            }
            case 61 -> {
                for (int i = 0, p = 0; i < n; i++, p += 2) {
                    b[p] = (byte) (s[i] >> 8);
                    b[p + 1] = (byte) s[i];
                }
            }
            case 160 -> {
                for (int i = 0, p = 0; i < n; i++, p += 2) {
                    int u = s[i] + 32768;
                    b[p] = (byte) u;
                    b[p + 1] = (byte) (u >> 8);
                }
            }
            case 24 -> {
                for (int i = 0, p = 0; i < n; i++, p += 3) {
                    b[p] = (byte) s[i];
                    b[p + 1] = (byte) (s[i] >> 8);
                    b[p + 2] = (byte) (s[i] >> 16);
                }
            }
            case 32 -> {
                for (int i = 0, p = 0; i < n; i++, p += 4) {
                    b[p] = (byte) s[i];
                    b[p + 1] = (byte) (s[i] >> 8);
                    b[p + 2] = (byte) (s[i] >> 16);
                    b[p + 3] = (byte) (s[i] >> 24);
                }
            }
            case 80 -> {
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) (s[i] + 128);
                }
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) s[i];
                }
            }
            case 212 -> {
                for (int i = 0, p = 0; i < n; i += 2, p += 3) {
                    int s0 = s[i] & 0xFFF;
                    int s1 = i + 1 < n ? s[i + 1] & 0xFFF : 0;
                    b[p] = (byte) s0;
                    b[p + 1] = (byte) ((s0 >> 8) | ((s1 >> 4) & 0xF0));
                    if (i + 1 < n) {
                        b[p + 2] = (byte) s1;
                    }
                }
            }
            case 310 -> {
                for (int i = 0, p = 0; i < n; i += 3, p += 4) {
                    int s0 = s[i] & 0x3FF;
                    int s1 = i + 1 < n ? s[i + 1] & 0x3FF : 0;
                    int s2 = i + 2 < n ? s[i + 2] & 0x3FF : 0;
                    int w0 = (s0 << 1) | ((s2 & 0x1F) << 11);
                    int w1 = (s1 << 1) | ((s2 >> 5) << 11);
                    b[p] = (byte) w0;
                    b[p + 1] = (byte) (w0 >> 8);
                    if (i + 1 < n) {
                        b[p + 2] = (byte) w1;
                        b[p + 3] = (byte) (w1 >> 8);
                    }
                }
            }
            case 311 -> {
                for (int i = 0, p = 0; i < n; i += 3, p += 4) {
                    int w =
                            (s[i] & 0x3FF)
                                    | (i + 1 < n ? (s[i + 1] & 0x3FF) << 10 : 0)
                                    | (i + 2 < n ? (s[i + 2] & 0x3FF) << 20 : 0);
                    int bytes = i + 1 < n ? 4 : 2;
                    for (int k = 0; k < bytes; k++) {
                        b[p + k] = (byte) (w >> (8 * k));
                    }
                }
            }
            default -> throw new WfdbFormatException("unsupported signal format " + format);
        }
        return b;
    }

    private static int signExtend(int v, int bits) {
        int shift = 32 - bits;
        return (v << shift) >> shift;
    }
}
