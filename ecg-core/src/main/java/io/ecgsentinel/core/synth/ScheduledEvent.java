package io.ecgsentinel.core.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One event of a {@link Scenario}: a type, a start time and a duration in seconds from the start
 * of the recording, and optional parameters ({@code rate=180}, {@code leads=V1,V2}, {@code
 * amplitude=0.3}, {@code territory=inferior}, {@code mode=rail}, {@code pwaves=on}).
 *
 * @param type what happens
 * @param startSeconds when it starts (seconds from sample 0)
 * @param durationSeconds how long it lasts; 0 for point events
 * @param params extra parameters, by name
 */
public record ScheduledEvent(
        EventType type, double startSeconds, double durationSeconds, Map<String, String> params) {

    private static final Map<EventType, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry(EventType.PVC, Set.of()),
            Map.entry(EventType.COUPLET, Set.of()),
            Map.entry(EventType.BIGEMINY, Set.of()),
            Map.entry(EventType.VT, Set.of("rate")),
            Map.entry(EventType.VF, Set.of("amplitude")),
            Map.entry(EventType.ASYSTOLE, Set.of("pwaves")),
            Map.entry(EventType.AFIB, Set.of("rate", "amplitude")),
            Map.entry(EventType.SVT, Set.of("rate")),
            Map.entry(EventType.BRADY, Set.of("rate")),
            Map.entry(EventType.TACHY, Set.of("rate")),
            Map.entry(EventType.PACED, Set.of("rate")),
            Map.entry(EventType.ST_ELEVATION, Set.of("amplitude", "territory")),
            Map.entry(EventType.ST_DEPRESSION, Set.of("amplitude")),
            Map.entry(EventType.LEAD_OFF, Set.of("leads", "mode")),
            Map.entry(EventType.NOISE, Set.of("amplitude", "leads")));

    public ScheduledEvent {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
        if (!(startSeconds >= 0) || !Double.isFinite(startSeconds)) {
            throw new IllegalArgumentException(type + ": start must be >= 0, got " + startSeconds);
        }
        if (type.kind() == EventType.Kind.POINT) {
            durationSeconds = 0;
        } else if (!(durationSeconds > 0) || !Double.isFinite(durationSeconds)) {
            throw new IllegalArgumentException(type + " at " + Durations.format(startSeconds)
                    + ": needs a duration > 0 ('for 30s')");
        }
        for (String k : params.keySet()) {
            if (!ALLOWED.get(type).contains(k)) {
                throw new IllegalArgumentException(type + ": unknown parameter '" + k + "' (allowed: "
                        + (ALLOWED.get(type).isEmpty() ? "none" : String.join(", ", ALLOWED.get(type)))
                        + ")");
            }
        }
        double rate = rateOr(type, params);
        switch (type) {
            case VT -> requireRate(type, rate, 101, 300);
            case SVT -> requireRate(type, rate, 140, 260);
            case AFIB -> requireRate(type, rate, 40, 200);
            case BRADY -> requireRate(type, rate, 15, 40);
            case TACHY -> requireRate(type, rate, 140, 200);
            case PACED -> requireRate(type, rate, 30, 150);
            default -> { }
        }
        if (params.containsKey("leads")) {
            StandardLead.parseList(params.get("leads"));
        }
        if (params.containsKey("amplitude")) {
            number(type, "amplitude", params.get("amplitude"));
        }
        if (params.containsKey("mode") && !Set.of("flat", "rail").contains(params.get("mode"))) {
            throw new IllegalArgumentException(type + ": mode must be flat or rail");
        }
        if (params.containsKey("pwaves") && !Set.of("on", "off").contains(params.get("pwaves"))) {
            throw new IllegalArgumentException(type + ": pwaves must be on or off");
        }
        if (params.containsKey("territory")
                && !Set.of("anterior", "inferior", "lateral").contains(params.get("territory"))) {
            throw new IllegalArgumentException(type + ": territory must be anterior, inferior or lateral");
        }
    }

    /** A point event (PVC, couplet). */
    public static ScheduledEvent at(EventType type, double startSeconds) {
        return new ScheduledEvent(type, startSeconds, 0, Map.of());
    }

    /** An episode without parameters. */
    public static ScheduledEvent of(EventType type, double startSeconds, double durationSeconds) {
        return new ScheduledEvent(type, startSeconds, durationSeconds, Map.of());
    }

    /** An episode with parameters given as alternating names and values. */
    public static ScheduledEvent of(
            EventType type, double startSeconds, double durationSeconds, String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs");
        }
        Map<String, String> p = new TreeMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            p.put(nameValues[i], nameValues[i + 1]);
        }
        return new ScheduledEvent(type, startSeconds, durationSeconds, p);
    }

    public double endSeconds() {
        return startSeconds + durationSeconds;
    }

    /** The rate in bpm: the {@code rate} parameter or the type's default. */
    public double rate() {
        return rateOr(type, params);
    }

    /** A numeric parameter, or {@code fallback} when absent. */
    public double number(String name, double fallback) {
        String v = params.get(name);
        return v == null ? fallback : number(type, name, v);
    }

    /** A string parameter, or {@code fallback}. */
    public String param(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }

    /** The {@code leads} parameter, or {@code fallback}. */
    public List<StandardLead> leads(List<StandardLead> fallback) {
        String v = params.get("leads");
        return v == null ? fallback : StandardLead.parseList(v);
    }

    /** This event as one line of the scenario text format. */
    public String toText() {
        StringBuilder b = new StringBuilder("at ").append(Durations.format(startSeconds)).append(' ')
                .append(type.name());
        if (type.kind() != EventType.Kind.POINT) {
            b.append(" for ").append(Durations.format(durationSeconds));
        }
        List<String> ps = new ArrayList<>();
        params.forEach((k, v) -> ps.add(k + "=" + v));
        for (String p : ps) {
            b.append(' ').append(p);
        }
        return b.toString();
    }

    private static double rateOr(EventType type, Map<String, String> params) {
        String v = params.get("rate");
        return v == null ? type.defaultRate() : number(type, "rate", v);
    }

    private static double number(EventType type, String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(type + ": " + name + "=" + v + " is not a number");
        }
    }

    private static void requireRate(EventType type, double rate, double lo, double hi) {
        if (!(rate >= lo && rate <= hi)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: rate %.0f bpm outside [%.0f, %.0f]", type, rate, lo, hi));
        }
    }
}
