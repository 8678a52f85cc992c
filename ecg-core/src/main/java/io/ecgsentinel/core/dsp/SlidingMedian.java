package io.ecgsentinel.core.dsp;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Median of the last {@code w} values (w odd) in O(log w) per sample.
 *
 * <p>Two indexed heaps over the slots of a ring buffer: a max-heap with the (w+1)/2 smallest values
 * and a min-heap with the rest, so the median is the max-heap's root. A new sample overwrites the
 * oldest slot in place; since the window is always full (it is primed with the first sample) the
 * heap sizes never change, and one sift plus at most one root swap restores both heap orders. No
 * objects are allocated after construction.
 *
 * <p>Only the ring buffer is real state: the heap layout is derived, and the median of a multiset
 * does not depend on layout, so {@link #restore} can rebuild the heaps from the values and still
 * give bit-identical medians afterwards.
 */
final class SlidingMedian implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int w;
    private final double[] vals;
    /** Slot indices; lo is a max-heap of size nLo, hi a min-heap of size nHi. */
    private final int[] lo;
    private final int[] hi;
    /** where[slot] = index in lo if >= 0, else -(index in hi) - 1. */
    private final int[] where;
    private int head;

    SlidingMedian(int w) {
        if (w < 1 || w % 2 == 0) {
            throw new IllegalArgumentException("median window must be odd and >= 1, got " + w);
        }
        this.w = w;
        this.vals = new double[w];
        this.lo = new int[(w + 1) / 2];
        this.hi = new int[w / 2];
        this.where = new int[w];
        fill(0.0);
    }

    int window() {
        return w;
    }

    /** Sets every slot to {@code v}. */
    void fill(double v) {
        Arrays.fill(vals, v);
        head = 0;
        rebuild();
    }

    /** Replaces the oldest value by {@code v} and returns the median of the window. */
    double push(double v) {
        int slot = head;
        head = head + 1 == w ? 0 : head + 1;
        vals[slot] = v;
        int pos = where[slot];
        if (pos >= 0) {
            if (!siftUpLo(pos)) {
                siftDownLo(pos);
            }
        } else {
            int i = -pos - 1;
            if (!siftUpHi(i)) {
                siftDownHi(i);
            }
        }
        if (hi.length > 0 && vals[lo[0]] > vals[hi[0]]) {
            // Only one value changed, so at most one value sits on the wrong side: swap roots.
            int a = lo[0];
            int b = hi[0];
            lo[0] = b;
            where[b] = 0;
            hi[0] = a;
            where[a] = -1;
            siftDownLo(0);
            siftDownHi(0);
        }
        return vals[lo[0]];
    }

    /** Appends the ring (oldest first) to {@code dst} at {@code off}; returns the next offset. */
    int save(double[] dst, int off) {
        for (int k = 0; k < w; k++) {
            int s = head + k;
            dst[off + k] = vals[s >= w ? s - w : s];
        }
        return off + w;
    }

    /** Reads a ring written by {@link #save}; returns the next offset. */
    int load(double[] src, int off) {
        System.arraycopy(src, off, vals, 0, w);
        head = 0;
        rebuild();
        return off + w;
    }

    private void rebuild() {
        Integer[] order = new Integer[w];
        for (int i = 0; i < w; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(vals[a], vals[b]));
        // The lower half in descending order is a valid max-heap, the upper half ascending a valid min-heap.
        for (int i = 0; i < lo.length; i++) {
            lo[i] = order[lo.length - 1 - i];
            where[lo[i]] = i;
        }
        for (int i = 0; i < hi.length; i++) {
            hi[i] = order[lo.length + i];
            where[hi[i]] = -i - 1;
        }
    }

    private boolean siftUpLo(int i) {
        boolean moved = false;
        while (i > 0) {
            int p = (i - 1) >> 1;
            if (vals[lo[i]] <= vals[lo[p]]) {
                break;
            }
            swapLo(i, p);
            i = p;
            moved = true;
        }
        return moved;
    }

    private void siftDownLo(int i) {
        int n = lo.length;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int r = l + 1;
            int m = r < n && vals[lo[r]] > vals[lo[l]] ? r : l;
            if (vals[lo[m]] <= vals[lo[i]]) {
                return;
            }
            swapLo(i, m);
            i = m;
        }
    }

    private boolean siftUpHi(int i) {
        boolean moved = false;
        while (i > 0) {
            int p = (i - 1) >> 1;
            if (vals[hi[i]] >= vals[hi[p]]) {
                break;
            }
            swapHi(i, p);
            i = p;
            moved = true;
        }
        return moved;
    }

    private void siftDownHi(int i) {
        int n = hi.length;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int r = l + 1;
            int m = r < n && vals[hi[r]] < vals[hi[l]] ? r : l;
            if (vals[hi[m]] >= vals[hi[i]]) {
                return;
            }
            swapHi(i, m);
            i = m;
        }
    }

    private void swapLo(int i, int j) {
        int a = lo[i];
        lo[i] = lo[j];
        lo[j] = a;
        where[lo[i]] = i;
        where[lo[j]] = j;
    }

    private void swapHi(int i, int j) {
        int a = hi[i];
        hi[i] = hi[j];
        hi[j] = a;
        where[hi[i]] = -i - 1;
        where[hi[j]] = -j - 1;
    }
}
