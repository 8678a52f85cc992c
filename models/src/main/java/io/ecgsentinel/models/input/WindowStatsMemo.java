package io.ecgsentinel.models.input;

import static io.ecgsentinel.models.ModelSpec.N_LEADS;

/**
 * The z-score statistics (mean and inverse spread, {@code Normalizer.zscore}) of one stream's beat
 * windows, per lead, so that a beat window met again is normalised without its two passes over the
 * samples. Each beat's window is cut once as the beat itself and then up to eight times more as a
 * template beat of the beats after it ({@link BeatWindowExtractor#templateBeats}); without the memo
 * those nine normalisations were most of what a beat's model input cost.
 *
 * <p>The last {@value #SLOTS} windows per lead, replaced oldest first (a beat's template beats are
 * among the {@code 2 * TEMPLATE_BEATS} beats before it, which a live caller cuts in order). An entry holds the window's
 * stream position and a 64-bit fingerprint of its raw samples (their bit patterns, so NaN, -0.0 and
 * 0.0 all count), and is used only when both match: the statistics are a function of exactly those
 * samples, so a hit gives the numbers the two passes would give, and a stream that restarted its
 * positions, or a window that now has samples it lacked, misses instead of reusing stale numbers.
 * A cache, not state: nothing needs checkpointing, and a fresh memo only costs the passes again.
 *
 * <p>About 7 KB for 12 leads. Not thread-safe: one per stream (patient), used by one thread.
 */
public final class WindowStatsMemo {

    /** Entries per lead: the template search's 16 beats before a beat, the beat, and a few more. */
    static final int SLOTS = 20;

    /** Stream position of each entry; {@link #EMPTY} (never a beat's position) while unused. */
    private final long[] at = new long[N_LEADS * SLOTS];
    private final long[] print = new long[N_LEADS * SLOTS];
    private final double[] mean = new double[N_LEADS * SLOTS];
    private final double[] inv = new double[N_LEADS * SLOTS];
    /** Per lead, the entry the next new window replaces. */
    private final int[] next = new int[N_LEADS];
    private long hits;
    private long misses;

    private static final long EMPTY = Long.MIN_VALUE;

    public WindowStatsMemo() {
        java.util.Arrays.fill(at, EMPTY);
    }

    /** The entry of lead {@code lead} at {@code position}, or -1. */
    private int find(int lead, long position) {
        for (int s = lead * SLOTS, end = s + SLOTS; s < end; s++) {
            if (at[s] == position) {
                return s;
            }
        }
        return -1;
    }

    /**
     * Writes the remembered {mean, inv} of the window at {@code position} of lead {@code lead} whose
     * raw samples have fingerprint {@code fp} into {@code dst} and returns true, or returns false.
     */
    boolean get(int lead, long position, long fp, double[] dst) {
        int s = find(lead, position);
        if (s >= 0 && print[s] == fp) {
            dst[0] = mean[s];
            dst[1] = inv[s];
            hits++;
            return true;
        }
        misses++;
        return false;
    }

    void put(int lead, long position, long fp, double m, double i) {
        int s = find(lead, position);
        if (s < 0) {
            s = lead * SLOTS + next[lead];
            next[lead] = next[lead] + 1 == SLOTS ? 0 : next[lead] + 1;
        }
        at[s] = position;
        print[s] = fp;
        mean[s] = m;
        inv[s] = i;
    }

    /** Windows normalised from the memo. */
    public long hits() {
        return hits;
    }

    /** Windows whose statistics had to be computed. */
    public long misses() {
        return misses;
    }

    /**
     * Fingerprint of {@code w[off, off + len)}: the raw bits of every sample mixed in four
     * independent lanes (so the multiplications overlap instead of waiting on each other), then
     * folded together with the length.
     */
    static long fingerprint(float[] w, int off, int len) {
        long h0 = 0x243F6A8885A308D3L;
        long h1 = 0x13198A2E03707344L;
        long h2 = 0xA4093822299F31D0L;
        long h3 = 0x082EFA98EC4E6C89L;
        int k = off;
        int end = off + len;
        for (; k + 3 < end; k += 4) {
            h0 = (h0 ^ Float.floatToRawIntBits(w[k])) * 0x9E3779B97F4A7C15L;
            h1 = (h1 ^ Float.floatToRawIntBits(w[k + 1])) * 0xC2B2AE3D27D4EB4FL;
            h2 = (h2 ^ Float.floatToRawIntBits(w[k + 2])) * 0x165667B19E3779F9L;
            h3 = (h3 ^ Float.floatToRawIntBits(w[k + 3])) * 0xD6E8FEB86659FD93L;
        }
        for (; k < end; k++) {
            h0 = (h0 ^ Float.floatToRawIntBits(w[k])) * 0x9E3779B97F4A7C15L;
        }
        long h = h0 ^ Long.rotateLeft(h1, 17) ^ Long.rotateLeft(h2, 31) ^ Long.rotateLeft(h3, 47) ^ len;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
