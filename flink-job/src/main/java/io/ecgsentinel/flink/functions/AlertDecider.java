package io.ecgsentinel.flink.functions;

import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.schemas.Alerts;
import io.ecgsentinel.schemas.avro.AlertPriority;
import io.ecgsentinel.schemas.avro.AlertState;
import io.ecgsentinel.schemas.avro.AlertType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by patient: keeps the recent beats, runs {@link RhythmRules} on every window analysis, and
 * turns evidence into alarm episodes. An alarm is RAISED when its evidence has persisted for the
 * type's number of windows, UPDATED (at most every {@value #UPDATE_SECONDS} s) when the heart rate
 * moves by 10 bpm or more, and CLEARED only after its evidence has been absent for the type's clear
 * count (hysteresis). Ids are {@link Alerts#deterministicId} of (patient, type, onset from the data),
 * so a replay or a restart from a checkpoint yields the same ids. Storms are capped: at most {@code
 * stormMaxRaises} raises per type and patient within {@code stormWindowSeconds}. Higher alarms
 * suppress the ones they imply (VF over VT, tachycardia, asystole; VT over tachycardia and runs;
 * asystole over bradycardia). State is cleared by an event-time timer when the patient goes quiet.
 */
public class AlertDecider extends KeyedProcessFunction<String, WindowAnalysis, AlertEvent> {

    private static final long serialVersionUID = 1L;

    static final int HISTORY = 64;
    static final double UPDATE_SECONDS = 10.0;

    /** Per type: priority, seconds of evidence before raising, seconds without before clearing. */
    record Policy(AlertPriority priority, double raiseSeconds, double clearSeconds) {}

    static final Map<AlertType, Policy> POLICIES = new EnumMap<>(AlertType.class);

    static {
        POLICIES.put(AlertType.ASYSTOLE, new Policy(AlertPriority.HIGH, 0, 3));
        POLICIES.put(AlertType.VENTRICULAR_FIBRILLATION, new Policy(AlertPriority.HIGH, 2, 4));
        POLICIES.put(AlertType.VENTRICULAR_TACHYCARDIA, new Policy(AlertPriority.HIGH, 0, 4));
        POLICIES.put(AlertType.EXTREME_BRADYCARDIA, new Policy(AlertPriority.HIGH, 0, 5));
        POLICIES.put(AlertType.EXTREME_TACHYCARDIA, new Policy(AlertPriority.HIGH, 0, 5));
        POLICIES.put(AlertType.ATRIAL_FIBRILLATION, new Policy(AlertPriority.MEDIUM, 8, 15));
        POLICIES.put(AlertType.VENTRICULAR_RUN, new Policy(AlertPriority.MEDIUM, 0, 4));
        POLICIES.put(AlertType.LEAD_OFF, new Policy(AlertPriority.LOW, 1, 3));
        POLICIES.put(AlertType.UNUSABLE_SIGNAL, new Policy(AlertPriority.LOW, 5, 3));
    }

    private final double hopSeconds;
    private final int stormMaxRaises;
    private final double stormWindowSeconds;
    private final long quietMillis;
    private final String modelName;
    private final String modelVersion;

    private transient ValueState<DeciderState> state;
    private transient Map<AlertType, Counter> alertCounters;
    private transient Counter suppressed;
    private transient Histogram endToEnd;

    public AlertDecider(double hopSeconds, int stormMaxRaises, double stormWindowSeconds, double quietSeconds,
            String modelName, String modelVersion) {
        this.hopSeconds = hopSeconds;
        this.stormMaxRaises = stormMaxRaises;
        this.stormWindowSeconds = stormWindowSeconds;
        this.quietMillis = (long) (quietSeconds * 1000);
        this.modelName = modelName;
        this.modelVersion = modelVersion;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("decider", DeciderState.class));
        alertCounters = new EnumMap<>(AlertType.class);
        for (AlertType t : POLICIES.keySet()) {
            alertCounters.put(t, getRuntimeContext().getMetricGroup().addGroup("alerts").counter(t.name()));
        }
        suppressed = getRuntimeContext().getMetricGroup().counter("alertsStormSuppressed");
        endToEnd = getRuntimeContext().getMetricGroup().histogram("endToEndLatencyMs",
                new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processElement(WindowAnalysis a, Context ctx, Collector<AlertEvent> out) throws Exception {
        DeciderState s = state.value();
        if (s == null) {
            s = DeciderState.create(AlertType.values().length);
            s.epoch = a.epoch();
        }
        if (s.epoch != a.epoch()) { // the stream restarted: beats before it are not continuous
            s.epoch = a.epoch();
            s.beatMicros = new long[0];
            s.beatWidthMs = new float[0];
            s.beatWide = new boolean[0];
            s.beatVProb = new float[0];
            s.beatModelV = new float[0];
            s.beatAfProb = new float[0];
        }
        s.modelServed = modelName != null;
        addBeats(s, a);
        Map<AlertType, Evidence> ev = RhythmRules.evaluate(s, a);
        suppress(s, ev);
        boolean frozen = a.usableLeads() == 0;
        long now = System.currentTimeMillis();
        for (Map.Entry<AlertType, Policy> p : POLICIES.entrySet()) {
            AlertType t = p.getKey();
            boolean technical = t == AlertType.LEAD_OFF || t == AlertType.UNUSABLE_SIGNAL;
            if (frozen && !technical) {
                continue;
            }
            step(s, t, p.getValue(), ev.get(t), a, ctx, out, now);
        }
        long endMillis = a.windowEndMicros() / 1000;
        if (Math.floorDiv(s.lastWindowEndMillis, 10_000) != Math.floorDiv(endMillis, 10_000)) {
            ctx.timerService().registerEventTimeTimer(Math.floorDiv(endMillis, 10_000) * 10_000 + 10_000 + quietMillis);
        }
        s.lastWindowEndMillis = endMillis;
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        DeciderState s = state.value();
        if (s == null || timestamp < s.lastWindowEndMillis + quietMillis) {
            return;
        }
        // the patient went quiet: close what is open, then forget the patient
        for (AlertType t : POLICIES.keySet()) {
            int i = t.ordinal();
            if (s.active[i]) {
                out.collect(new AlertEvent(s.ids[i], ctx.getCurrentKey(), "", t.name(),
                        POLICIES.get(t).priority().name(), AlertState.CLEARED.name(), s.onset[i],
                        System.currentTimeMillis() * 1000, Float.NaN, Float.NaN, null, null, new String[0],
                        s.onset[i], s.lastWindowEndMillis * 1000, "Monitoring stopped: no more signal", 0L));
            }
        }
        state.clear();
    }

    private void step(DeciderState s, AlertType t, Policy p, Evidence e, WindowAnalysis a, Context ctx,
            Collector<AlertEvent> out, long nowMillis) {
        int i = t.ordinal();
        boolean present = e != null && e.present();
        if (!s.active[i]) {
            if (!present) {
                s.evidenceRun[i] = 0;
                return;
            }
            if (s.evidenceRun[i] == 0) {
                s.onset[i] = e.onsetMicros(); // onset of the evidence that may become an alarm
            }
            s.evidenceRun[i]++;
            if ((s.evidenceRun[i] - 1) * hopSeconds + 1e-9 < p.raiseSeconds()) {
                return;
            }
            long stormWindow = (long) (stormWindowSeconds * 1e6);
            if (a.windowEndMicros() - s.stormStartMicros[i] > stormWindow) {
                s.stormStartMicros[i] = a.windowEndMicros();
                s.stormCount[i] = 0;
            }
            if (s.stormCount[i] >= stormMaxRaises) {
                suppressed.inc();
                return;
            }
            s.stormCount[i]++;
            s.active[i] = true;
            s.clearRun[i] = 0;
            s.ids[i] = Alerts.deterministicId(ctx.getCurrentKey(), t, s.onset[i]);
            s.lastUpdateMicros[i] = a.windowEndMicros();
            s.lastHr[i] = e.heartRateBpm();
            emit(s, t, p, e, a, AlertState.RAISED, ctx, out, nowMillis);
            return;
        }
        if (present) {
            s.clearRun[i] = 0;
            float hr = e.heartRateBpm();
            boolean moved = !Float.isNaN(hr) && (Float.isNaN(s.lastHr[i]) || Math.abs(hr - s.lastHr[i]) >= 10);
            if (moved && a.windowEndMicros() - s.lastUpdateMicros[i] >= UPDATE_SECONDS * 1e6) {
                s.lastUpdateMicros[i] = a.windowEndMicros();
                s.lastHr[i] = hr;
                emit(s, t, p, e, a, AlertState.UPDATED, ctx, out, nowMillis);
            }
            return;
        }
        s.clearRun[i]++;
        if (s.clearRun[i] * hopSeconds + 1e-9 >= p.clearSeconds()) {
            Evidence gone = new Evidence(t, false, s.onset[i], Float.NaN, Float.NaN, new String[0], s.onset[i],
                    a.windowEndMicros(), "Condition no longer present", false);
            emit(s, t, p, gone, a, AlertState.CLEARED, ctx, out, nowMillis);
            s.active[i] = false;
            s.evidenceRun[i] = 0;
            s.clearRun[i] = 0;
        }
    }

    private void emit(DeciderState s, AlertType t, Policy p, Evidence e, WindowAnalysis a, AlertState st,
            Context ctx, Collector<AlertEvent> out, long nowMillis) {
        int i = t.ordinal();
        AlertPriority prio = p.priority();
        if (t == AlertType.LEAD_OFF && e.leads().length == a.totalLeads()) {
            prio = AlertPriority.MEDIUM;
        }
        out.collect(new AlertEvent(s.ids[i], ctx.getCurrentKey(), a.deviceId(), t.name(), prio.name(), st.name(),
                s.onset[i], nowMillis * 1000, e.heartRateBpm(), e.score(),
                e.fromModel() ? modelName : null, e.fromModel() ? modelVersion : null, e.leads(),
                e.spanStartMicros(), e.spanEndMicros(), e.text(), a.latestArrivalMillis()));
        if (st == AlertState.RAISED) {
            alertCounters.get(t).inc();
            if (a.latestArrivalMillis() > 0) {
                endToEnd.update(Math.max(0, nowMillis - a.latestArrivalMillis()));
            }
        }
    }

    /** Higher alarms suppress the ones they imply, by evidence or by being active. */
    private static void suppress(DeciderState s, Map<AlertType, Evidence> ev) {
        if (on(s, ev, AlertType.VENTRICULAR_FIBRILLATION)) {
            ev.remove(AlertType.VENTRICULAR_TACHYCARDIA);
            ev.remove(AlertType.VENTRICULAR_RUN);
            ev.remove(AlertType.EXTREME_TACHYCARDIA);
            ev.remove(AlertType.ASYSTOLE);
            ev.remove(AlertType.EXTREME_BRADYCARDIA);
            ev.remove(AlertType.ATRIAL_FIBRILLATION);
        }
        if (on(s, ev, AlertType.VENTRICULAR_TACHYCARDIA)) {
            ev.remove(AlertType.VENTRICULAR_RUN);
            ev.remove(AlertType.EXTREME_TACHYCARDIA);
            ev.remove(AlertType.ATRIAL_FIBRILLATION);
        }
        if (on(s, ev, AlertType.ASYSTOLE)) {
            ev.remove(AlertType.EXTREME_BRADYCARDIA);
        }
    }

    private static boolean on(DeciderState s, Map<AlertType, Evidence> ev, AlertType t) {
        return s.active[t.ordinal()] || ev.containsKey(t);
    }

    /** Appends the window's beats (keeping the last {@value #HISTORY}) and merges model scores by time. */
    static void addBeats(DeciderState s, WindowAnalysis a) {
        int add = a.beatCount();
        if (add > 0) {
            int n = s.beatMicros.length;
            int total = n + add;
            int drop = Math.max(0, total - HISTORY);
            s.beatMicros = cat(s.beatMicros, a.beatMicros(), drop);
            s.beatWidthMs = cat(s.beatWidthMs, a.beatWidthMs(), drop);
            boolean[] wide = new boolean[total - drop];
            for (int i = drop; i < total; i++) {
                wide[i - drop] = i < n ? s.beatWide[i] : a.beatWide()[i - n];
            }
            s.beatWide = wide;
            float[] nan = new float[add];
            Arrays.fill(nan, Float.NaN);
            s.beatVProb = cat(s.beatVProb, nan, drop);
            s.beatModelV = cat(s.beatModelV, nan, drop);
            s.beatAfProb = cat(s.beatAfProb, nan, drop);
            // the patient's own QRS width: a slow average over beats the rule does not call ventricular
            for (int i = 0; i < add; i++) {
                float w = a.beatWidthMs()[i];
                if (Float.isNaN(w)) {
                    continue;
                }
                if (Float.isNaN(s.baselineWidthMs)) {
                    s.baselineWidthMs = w;
                } else if (w < s.baselineWidthMs + 20) {
                    s.baselineWidthMs = 0.9f * s.baselineWidthMs + 0.1f * w;
                }
            }
        }
        long[] scored = a.scoredBeatMicros();
        for (int k = 0; k < scored.length; k++) {
            int j = Arrays.binarySearch(s.beatMicros, scored[k]);
            if (j < 0) {
                int ins = -j - 1;
                j = -1;
                for (int c = Math.max(0, ins - 1); c <= Math.min(s.beatMicros.length - 1, ins); c++) {
                    if (Math.abs(s.beatMicros[c] - scored[k]) <= 1000) {
                        j = c;
                    }
                }
            }
            if (j >= 0 && k < a.beatVProb().length) {
                s.beatVProb[j] = a.beatVProb()[k];
                s.beatModelV[j] = a.beatModelV()[k];
                s.beatAfProb[j] = a.beatAfProb()[k];
            }
        }
    }

    private static long[] cat(long[] a, long[] b, int drop) {
        long[] out = new long[a.length + b.length - drop];
        for (int i = drop; i < a.length + b.length; i++) {
            out[i - drop] = i < a.length ? a[i] : b[i - a.length];
        }
        return out;
    }

    private static float[] cat(float[] a, float[] b, int drop) {
        float[] out = new float[a.length + b.length - drop];
        for (int i = drop; i < a.length + b.length; i++) {
            out[i - drop] = i < a.length ? a[i] : b[i - a.length];
        }
        return out;
    }
}
