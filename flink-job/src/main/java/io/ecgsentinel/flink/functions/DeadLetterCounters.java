package io.ecgsentinel.flink.functions;

import io.ecgsentinel.schemas.avro.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Dead letters counted by reason: one metric counter per reason ({@code deadLetters.<REASON>}) and
 * a job accumulator {@code dead-letters} (read back by tests to reconcile counts).
 */
final class DeadLetterCounters {

    static final String ACCUMULATOR = "dead-letters";

    private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);
    private final LongCounter total;

    DeadLetterCounters(RuntimeContext ctx) {
        MetricGroup group = ctx.getMetricGroup().addGroup("deadLetters");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            counters.put(r, group.counter(r.name()));
        }
        total = ctx.getLongCounter(ACCUMULATOR);
    }

    void inc(DeadLetterReason reason) {
        counters.get(reason).inc();
        total.add(1L);
    }
}
