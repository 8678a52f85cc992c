package io.ecgsentinel.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Named scenario presets, scaled to a recording length and varied by a seed. The single-event
 * presets put the event at about a third of the recording so that normal rhythm comes before and
 * after it; {@code mixed} draws one of them per seed (a ward where most patients are normal).
 *
 * <p>Presets: {@code normal}, {@code pvc} (isolated PVCs and a couplet), {@code bigeminy}, {@code
 * vt}, {@code vf}, {@code asystole}, {@code afib}, {@code svt}, {@code brady}, {@code tachy}, {@code
 * paced}, {@code st-elevation}, {@code st-depression}, {@code lead-off}, {@code noise}, {@code
 * mixed}.
 */
public final class Scenarios {

    /** Preset names, in help order. */
    public static final List<String> NAMES = List.of("normal", "pvc", "bigeminy", "vt", "vf", "asystole",
            "afib", "svt", "brady", "tachy", "paced", "st-elevation", "st-depression", "lead-off", "noise",
            "mixed");

    private Scenarios() {}

    /**
     * The preset {@code name} for a recording of {@code durationSeconds}, varied by {@code seed}.
     *
     * @throws IllegalArgumentException naming the valid presets when the name is unknown
     */
    public static Scenario preset(String name, double durationSeconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 31 + 7);
        double d = durationSeconds;
        double at = Math.max(2, Math.round(d * (0.25 + 0.15 * r.nextDouble())));
        double len = Math.max(4, Math.min(60, Math.round(d * 0.3)));
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        List<ScheduledEvent> ev = new ArrayList<>();
        switch (n) {
            case "normal" -> { }
            case "pvc" -> {
                for (double t = 5 + 10 * r.nextDouble(); t < d - 2; t += 12 + 25 * r.nextDouble()) {
                    ev.add(ScheduledEvent.at(r.nextInt(5) == 0 ? EventType.COUPLET : EventType.PVC, round(t)));
                }
            }
            case "bigeminy" -> ev.add(ScheduledEvent.of(EventType.BIGEMINY, at, len));
            case "vt" -> {
                ev.add(ScheduledEvent.at(EventType.PVC, Math.max(1, at - 8)));
                ev.add(ScheduledEvent.of(EventType.VT, at, Math.max(4, Math.min(30, len)),
                        "rate", Integer.toString(150 + r.nextInt(51))));
            }
            case "vf" -> ev.add(ScheduledEvent.of(EventType.VF, at, len));
            case "asystole" -> ev.add(ScheduledEvent.of(EventType.ASYSTOLE, at, Math.max(4, Math.min(20, len)),
                    "pwaves", r.nextBoolean() ? "on" : "off"));
            case "afib" -> ev.add(ScheduledEvent.of(EventType.AFIB, at, len,
                    "rate", Integer.toString(90 + r.nextInt(50))));
            case "svt" -> ev.add(ScheduledEvent.of(EventType.SVT, at, len,
                    "rate", Integer.toString(165 + r.nextInt(50))));
            case "brady" -> ev.add(ScheduledEvent.of(EventType.BRADY, at, len,
                    "rate", Integer.toString(28 + r.nextInt(10))));
            case "tachy" -> ev.add(ScheduledEvent.of(EventType.TACHY, at, len,
                    "rate", Integer.toString(145 + r.nextInt(30))));
            case "paced" -> ev.add(ScheduledEvent.of(EventType.PACED, 0, d, "rate", "70"));
            case "st-elevation" -> ev.add(ScheduledEvent.of(EventType.ST_ELEVATION, at, len,
                    "territory", List.of("anterior", "inferior", "lateral").get(r.nextInt(3)),
                    "amplitude", r.nextBoolean() ? "0.2" : "0.3"));
            case "st-depression" -> ev.add(ScheduledEvent.of(EventType.ST_DEPRESSION, at, len,
                    "amplitude", r.nextBoolean() ? "0.15" : "0.2"));
            case "lead-off" -> ev.add(ScheduledEvent.of(EventType.LEAD_OFF, at, Math.min(len, 10),
                    "leads", r.nextBoolean() ? "V1,V2" : "I,II,III,aVR,aVL,aVF",
                    "mode", r.nextBoolean() ? "flat" : "rail"));
            case "noise" -> ev.add(ScheduledEvent.of(EventType.NOISE, at, Math.min(len, 20),
                    "amplitude", r.nextBoolean() ? "0.5" : "1.0"));
            case "mixed" -> {
                return preset(mixedPick(r), durationSeconds, seed + 1);
            }
            default -> throw new IllegalArgumentException(
                    "unknown preset '" + name + "' (one of " + String.join(", ", NAMES) + ")");
        }
        // drop events that would start after the end of the recording
        ev.removeIf(e -> e.startSeconds() >= d);
        return new Scenario(ev);
    }

    private static String mixedPick(SplittableRandom r) {
        int x = r.nextInt(100);
        if (x < 45) {
            return "normal";
        } else if (x < 60) {
            return "pvc";
        } else if (x < 66) {
            return "vt";
        } else if (x < 69) {
            return "vf";
        } else if (x < 72) {
            return "asystole";
        } else if (x < 80) {
            return "afib";
        } else if (x < 83) {
            return "svt";
        } else if (x < 86) {
            return "brady";
        } else if (x < 89) {
            return "tachy";
        } else if (x < 92) {
            return "st-elevation";
        } else if (x < 94) {
            return "st-depression";
        } else if (x < 96) {
            return "bigeminy";
        } else if (x < 98) {
            return "lead-off";
        }
        return "noise";
    }

    private static double round(double t) {
        return Math.round(t * 10) / 10.0;
    }
}
