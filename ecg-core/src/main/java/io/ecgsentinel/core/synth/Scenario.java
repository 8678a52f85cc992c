package io.ecgsentinel.core.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happens to one synthetic patient: a base heart rate (or the patient's own) and a list of
 * {@link ScheduledEvent}s. Rhythm episodes may not overlap each other; modifiers and point events
 * may overlap anything.
 *
 * <p>Text format (one statement per line, {@code #} starts a comment, times like {@code 90s},
 * {@code 2m}, {@code 500ms}):
 *
 * <pre>
 * hr 72
 * at 20s PVC
 * at 45s COUPLET
 * at 1m VT for 15s rate=180
 * at 2m AFIB for 1m rate=120
 * at 150s LEAD_OFF for 5s leads=V1,V2 mode=rail
 * at 3m ST_ELEVATION for 1m territory=inferior amplitude=0.25
 * </pre>
 *
 * @param heartRate base sinus rate in bpm, or NaN for the patient's own (drawn from the seed)
 * @param events the events, sorted by start time
 */
public record Scenario(double heartRate, List<ScheduledEvent> events) {

    /** Nothing happens: sinus rhythm at the patient's own rate. */
    public static final Scenario NORMAL = new Scenario(Double.NaN, List.of());

    public Scenario {
        List<ScheduledEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingDouble(ScheduledEvent::startSeconds));
        events = List.copyOf(sorted);
        if (!Double.isNaN(heartRate) && !(heartRate >= 30 && heartRate <= 200)) {
            throw new IllegalArgumentException("hr " + heartRate + " outside [30, 200] bpm");
        }
        ScheduledEvent last = null;
        for (ScheduledEvent e : events) {
            if (e.type().kind() != EventType.Kind.RHYTHM) {
                continue;
            }
            if (last != null && e.startSeconds() < last.endSeconds()) {
                throw new IllegalArgumentException("rhythm episodes overlap: '" + last.toText()
                        + "' and '" + e.toText() + "'");
            }
            last = e;
        }
    }

    public Scenario(List<ScheduledEvent> events) {
        this(Double.NaN, events);
    }

    /** Events of one type. */
    public List<ScheduledEvent> eventsOf(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** The end of the last event in seconds (0 when there are none). */
    public double lastEventEnd() {
        return events.stream().mapToDouble(ScheduledEvent::endSeconds).max().orElse(0);
    }

    /** A copy with all events shifted by {@code seconds} (events moved before 0 are dropped). */
    public Scenario shifted(double seconds) {
        List<ScheduledEvent> out = new ArrayList<>();
        for (ScheduledEvent e : events) {
            double s = e.startSeconds() + seconds;
            if (s >= 0) {
                out.add(new ScheduledEvent(e.type(), s, e.durationSeconds(), e.params()));
            }
        }
        return new Scenario(heartRate, out);
    }

    /** Reads the text format from a file. */
    public static Scenario read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses the text format. */
    public static Scenario parse(String text) {
        return parse(text, "scenario");
    }

    private static Scenario parse(String text, String source) {
        double hr = Double.NaN;
        List<ScheduledEvent> events = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                String[] w = line.split("\\s+");
                String head = w[0].toLowerCase(Locale.ROOT);
                if (head.equals("hr") || head.equals("heart-rate")) {
                    if (w.length != 2) {
                        throw new IllegalArgumentException("expected 'hr <bpm>'");
                    }
                    hr = Double.parseDouble(w[1]);
                    continue;
                }
                if (!head.equals("at") || w.length < 3) {
                    throw new IllegalArgumentException(
                            "expected 'at <time> <EVENT> [for <duration>] [name=value ...]'");
                }
                double start = Durations.parseSeconds(w[1]);
                EventType type = EventType.parse(w[2]);
                int i = 3;
                double duration = 0;
                if (i < w.length && w[i].equalsIgnoreCase("for")) {
                    if (i + 1 >= w.length) {
                        throw new IllegalArgumentException("'for' needs a duration");
                    }
                    duration = Durations.parseSeconds(w[i + 1]);
                    i += 2;
                }
                Map<String, String> params = new TreeMap<>();
                for (; i < w.length; i++) {
                    int eq = w[i].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("expected name=value, got '" + w[i] + "'");
                    }
                    params.put(w[i].substring(0, eq).toLowerCase(Locale.ROOT), w[i].substring(eq + 1));
                }
                events.add(new ScheduledEvent(type, start, duration, params));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        source + " line " + (n + 1) + ": " + e.getMessage() + " in '" + line + "'", e);
            }
        }
        return new Scenario(hr, events);
    }

    /** This scenario in the text format ({@link #parse} reads it back). */
    public String toText() {
        StringBuilder b = new StringBuilder();
        if (!Double.isNaN(heartRate)) {
            b.append("hr ").append(heartRate == Math.rint(heartRate)
                    ? Long.toString((long) heartRate) : Double.toString(heartRate)).append('\n');
        }
        for (ScheduledEvent e : events) {
            b.append(e.toText()).append('\n');
        }
        return b.toString();
    }
}
