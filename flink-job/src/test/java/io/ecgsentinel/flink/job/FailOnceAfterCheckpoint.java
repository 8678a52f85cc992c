package io.ecgsentinel.flink.job;

import io.ecgsentinel.flink.records.AlertEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes alerts through, and fails the job exactly once: on the first alert after a checkpoint that
 * completed once at least one alert had passed (so committed alerts exist and the restart replays
 * some of them from the checkpoint). Static flags: the MiniCluster runs in this JVM.
 */
public class FailOnceAfterCheckpoint implements MapFunction<AlertEvent, AlertEvent>, CheckpointListener {

    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicInteger PASSED = new AtomicInteger();

    static void reset() {
        FAILED.set(false);
        ARMED.set(false);
        PASSED.set(0);
    }

    static boolean failed() {
        return FAILED.get();
    }

    @Override
    public AlertEvent map(AlertEvent a) {
        if (ARMED.get() && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after a completed checkpoint");
        }
        PASSED.incrementAndGet();
        return a;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (PASSED.get() > 0) {
            ARMED.set(true);
        }
    }
}
