package io.ecgsentinel.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one simulator run, shared by the pacing workers, the producer callbacks and the
 * progress reporter: frames and truth events generated, sent, acknowledged and failed, injected
 * faults, and the pacing lag (how late each frame left against its schedule). Failures keep
 * their first messages (never a patient id) so they can be reported, not lost.
 */
public final class SimStats {

    private static final long BUCKET_NANOS = 100_000; // 0.1 ms
    private static final int BUCKETS = 100_000; // up to 10 s

    public final LongAdder framesGenerated = new LongAdder();
    public final LongAdder framesSent = new LongAdder();
    public final LongAdder framesAcked = new LongAdder();
    public final LongAdder framesFailed = new LongAdder();
    public final LongAdder truthSent = new LongAdder();
    public final LongAdder truthAcked = new LongAdder();
    public final LongAdder truthFailed = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder samplesGenerated = new LongAdder();
    public final LongAdder dropped = new LongAdder();
    public final LongAdder duplicated = new LongAdder();
    public final LongAdder reordered = new LongAdder();
    public final LongAdder jittered = new LongAdder();
    public final AtomicInteger activePatients = new AtomicInteger();
    /** CPU time used by the generator threads (generation, encoding, send calls). */
    public final LongAdder workerCpuNanos = new LongAdder();

    private final AtomicLongArray lag = new AtomicLongArray(BUCKETS + 1);
    private final AtomicLong lagCount = new AtomicLong();
    private final AtomicLong maxLagNanos = new AtomicLong();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorCount = new AtomicInteger();

    /** A copy of the lag histogram, to report percentiles of an interval (see {@link #lagQuantileMillisSince}). */
    public long[] lagSnapshot() {
        long[] c = new long[BUCKETS + 1];
        for (int i = 0; i <= BUCKETS; i++) {
            c[i] = lag.get(i);
        }
        return c;
    }

    /** The lag quantile {@code q} in ms of the frames recorded since {@code snapshot}; NaN if none. */
    public double lagQuantileMillisSince(long[] snapshot, double q) {
        long n = 0;
        long[] d = new long[BUCKETS + 1];
        for (int i = 0; i <= BUCKETS; i++) {
            d[i] = lag.get(i) - snapshot[i];
            n += d[i];
        }
        if (n == 0) {
            return Double.NaN;
        }
        long target = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += d[i];
            if (seen >= target) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return Double.NaN;
    }

    /** Records how late a frame was sent against its schedule (negative counts as 0). */
    public void recordLag(long nanos) {
        long v = Math.max(0, nanos);
        int b = (int) Math.min(BUCKETS, v / BUCKET_NANOS);
        lag.incrementAndGet(b);
        lagCount.incrementAndGet();
        maxLagNanos.accumulateAndGet(v, Math::max);
    }

    /** Keeps the first few failure messages. */
    public void recordError(String what, Throwable e) {
        if (errorCount.incrementAndGet() <= 10) {
            errors.add(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public List<String> firstErrors() {
        return new ArrayList<>(errors);
    }

    /** The lag quantile {@code q} (0-1) in milliseconds, at 0.1 ms resolution. */
    public double lagQuantileMillis(double q) {
        long n = lagCount.get();
        if (n == 0) {
            return 0;
        }
        long target = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += lag.get(i);
            if (seen >= target) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return maxLagMillis();
    }

    public double maxLagMillis() {
        return maxLagNanos.get() / 1e6;
    }

    /** Frames generated, encoded and handed to the producer per CPU-second of the generator threads. */
    public double framesPerCpuSecond() {
        long cpu = workerCpuNanos.sum();
        return cpu == 0 ? 0 : framesGenerated.sum() / (cpu / 1e9);
    }

    public long failures() {
        return framesFailed.sum() + truthFailed.sum();
    }

    /** One line for logs and the final report. */
    public String summary() {
        return String.format(Locale.ROOT,
                "frames generated %d, sent %d, acked %d, failed %d; truth sent %d, acked %d, failed %d; "
                        + "faults: dropped %d, duplicated %d, reordered %d, jittered %d; "
                        + "pacing lag p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                framesGenerated.sum(), framesSent.sum(), framesAcked.sum(), framesFailed.sum(),
                truthSent.sum(), truthAcked.sum(), truthFailed.sum(), dropped.sum(), duplicated.sum(),
                reordered.sum(), jittered.sum(), lagQuantileMillis(0.5), lagQuantileMillis(0.99),
                maxLagMillis());
    }
}
