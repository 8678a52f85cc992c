package io.ecgsentinel.bench;

import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import io.ecgsentinel.simulator.FramePublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FramePublisher} in front of the simulator's Kafka publisher that remembers, per patient,
 * when (wall clock) each frame was handed to the producer, keyed by the frame's end on the device's
 * sample clock. The latency of a window result is measured from the send time of the frame that
 * carried the window's last sample.
 */
final class SendClock implements FramePublisher {

    /** Frames remembered per patient (51 s at 100 ms frames). */
    static final int CAPACITY = 512;

    private final FramePublisher delegate;
    private final Map<String, Ring> rings;

    SendClock(FramePublisher delegate, List<String> patientIds) {
        this.delegate = delegate;
        this.rings = new HashMap<>(patientIds.size() * 2);
        for (String p : patientIds) {
            rings.put(p, new Ring());
        }
    }

    @Override
    public void publishFrame(String patientId, EcgFrame frame, byte[] encoded) {
        Ring r = rings.get(patientId);
        if (r != null) {
            r.add(EcgFrames.endTimeMicros(frame), System.currentTimeMillis());
        }
        delegate.publishFrame(patientId, frame, encoded);
    }

    @Override
    public void publishTruth(GroundTruthEvent event) {
        delegate.publishTruth(event);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close(Duration timeout) {
        delegate.close(timeout);
    }

    /**
     * Wall-clock ms at which the frame holding the sample just before {@code endMicros} was sent, or
     * {@code Long.MIN_VALUE} when that frame is not (or no longer) remembered.
     */
    long sentMillis(String patientId, long endMicros) {
        Ring r = rings.get(patientId);
        return r == null ? Long.MIN_VALUE : r.find(endMicros);
    }

    private static final class Ring {
        private final long[] ends = new long[CAPACITY];
        private final long[] wall = new long[CAPACITY];
        private long count;

        synchronized void add(long endMicros, long wallMillis) {
            int i = (int) (count % CAPACITY);
            ends[i] = endMicros;
            wall[i] = wallMillis;
            count++;
        }

        /** The first remembered frame whose end is at or after endMicros (within half a sample at 1 kHz). */
        synchronized long find(long endMicros) {
            long lo = Math.max(0, count - CAPACITY);
            long hi = count; // search [lo, hi)
            long target = endMicros - 500;
            if (hi == lo || ends[(int) ((hi - 1) % CAPACITY)] < target || ends[(int) (lo % CAPACITY)] > endMicros + 200_000) {
                return Long.MIN_VALUE;
            }
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (ends[(int) (mid % CAPACITY)] < target) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return wall[(int) (lo % CAPACITY)];
        }
    }
}
