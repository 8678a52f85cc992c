package io.ecgsentinel.core.dsp;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every parameter that shapes the preprocessing chain, so that a model card can record it ({@link
 * #toMap()}) and the streaming job can rebuild the identical chain from the card ({@link
 * #fromMap(Map)}).
 *
 * <p>{@code inputFs} is a property of the source, not of the model: a model trained on a mix of
 * 360 and 500 Hz records has one card, and the job rebuilds the chain per device with {@code
 * PreprocessingConfig.fromMap(card).withInputFs(deviceFs)}. Everything else is the model's
 * contract. Filter orders are fixed by {@link #VERSION} (high-pass {@value #HIGH_PASS_ORDER},
 * low-pass {@value #LOW_PASS_ORDER}); {@code toMap} writes them down and {@code fromMap} refuses a
 * card whose version or orders this code cannot reproduce, rather than silently building a
 * different chain.
 *
 * @param inputFs rate of the incoming samples (Hz)
 * @param outputFs rate the model sees (Hz), typically 250
 * @param bandLowHz high-pass edge of the band-pass (Hz); 0 = no high-pass
 * @param bandHighHz low-pass edge of the band-pass (Hz); 0 = no low-pass
 * @param notchHz mains notch frequency (Hz), 50 or 60; 0 = off
 * @param notchQ notch quality factor (centre / bandwidth)
 * @param baseline how baseline wander is removed
 * @param normalization how each analysis window is normalised
 */
public record PreprocessingConfig(
        int inputFs,
        int outputFs,
        double bandLowHz,
        double bandHighHz,
        double notchHz,
        double notchQ,
        Baseline baseline,
        Normalizer.Method normalization)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Version of the chain definition; bump it when any fixed constant of the chain changes. */
    public static final int VERSION = 1;
    /** Butterworth order of the band-pass high-pass edge. */
    public static final int HIGH_PASS_ORDER = 2;
    /** Butterworth order of the band-pass low-pass edge. */
    public static final int LOW_PASS_ORDER = 4;

    /** Baseline-wander removal. */
    public enum Baseline {
        /** No baseline removal; requires bandLowHz = 0. */
        NONE,
        /**
         * The band-pass high-pass edge (bandLowHz &gt; 0, typically 0.5 Hz) removes the wander: cheap,
         * no extra delay.
         */
        HIGHPASS,
        /**
         * A 200 ms / 600 ms two-stage moving median is subtracted before the band-pass: keeps the ST
         * level, costs a fixed 400 ms delay. bandLowHz may be 0 or a low value such as 0.05 Hz.
         */
        MEDIAN
    }

    public PreprocessingConfig {
        require(inputFs > 0, "inputFs", "must be > 0, got " + inputFs);
        require(outputFs > 0, "outputFs", "must be > 0, got " + outputFs);
        require(bandLowHz >= 0 && bandLowHz < 0.5 * outputFs, "bandLowHz",
                "must be in [0, outputFs / 2), got " + bandLowHz);
        require(bandHighHz >= 0, "bandHighHz", "must be >= 0, got " + bandHighHz);
        require(bandHighHz == 0 || bandHighHz > bandLowHz, "bandHighHz", "must be above bandLowHz " + bandLowHz);
        require(notchHz >= 0, "notchHz", "must be >= 0 (0 = off), got " + notchHz);
        require(notchQ > 0, "notchQ", "must be > 0, got " + notchQ);
        require(baseline != null, "baseline", "must not be null");
        require(normalization != null, "normalization", "must not be null");
        require(baseline != Baseline.HIGHPASS || bandLowHz > 0, "baseline",
                "HIGHPASS needs bandLowHz > 0 (the high-pass is the baseline remover)");
        require(baseline != Baseline.NONE || bandLowHz == 0, "baseline",
                "NONE contradicts bandLowHz " + bandLowHz + " > 0; use HIGHPASS");
    }

    /**
     * The default chain for the LSTM detector: resample to 250 Hz, 0.5-40 Hz band-pass whose
     * high-pass removes baseline wander, 50 Hz notch with Q 30, per-window z-score. Use {@link
     * #withNotchHz(double) withNotchHz(60)} for 60 Hz mains (e.g. MIT-BIH).
     */
    public static PreprocessingConfig defaults(int inputFs) {
        return new PreprocessingConfig(inputFs, 250, 0.5, 40.0, 50.0, 30.0, Baseline.HIGHPASS,
                Normalizer.Method.WINDOW_ZSCORE);
    }

    public PreprocessingConfig withInputFs(int fs) {
        return new PreprocessingConfig(fs, outputFs, bandLowHz, bandHighHz, notchHz, notchQ, baseline, normalization);
    }

    public PreprocessingConfig withOutputFs(int fs) {
        return new PreprocessingConfig(inputFs, fs, bandLowHz, bandHighHz, notchHz, notchQ, baseline, normalization);
    }

    public PreprocessingConfig withBand(double lowHz, double highHz) {
        return new PreprocessingConfig(inputFs, outputFs, lowHz, highHz, notchHz, notchQ, baseline, normalization);
    }

    public PreprocessingConfig withNotchHz(double hz) {
        return new PreprocessingConfig(inputFs, outputFs, bandLowHz, bandHighHz, hz, notchQ, baseline, normalization);
    }

    public PreprocessingConfig withBaseline(Baseline b) {
        return new PreprocessingConfig(inputFs, outputFs, bandLowHz, bandHighHz, notchHz, notchQ, b, normalization);
    }

    public PreprocessingConfig withNormalization(Normalizer.Method m) {
        return new PreprocessingConfig(inputFs, outputFs, bandLowHz, bandHighHz, notchHz, notchQ, baseline, m);
    }

    /** Flat string map for the model card; {@link #fromMap(Map)} reads it back to an equal config. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("version", Integer.toString(VERSION));
        m.put("inputFs", Integer.toString(inputFs));
        m.put("outputFs", Integer.toString(outputFs));
        m.put("bandLowHz", Double.toString(bandLowHz));
        m.put("bandHighHz", Double.toString(bandHighHz));
        m.put("highPassOrder", Integer.toString(HIGH_PASS_ORDER));
        m.put("lowPassOrder", Integer.toString(LOW_PASS_ORDER));
        m.put("notchHz", Double.toString(notchHz));
        m.put("notchQ", Double.toString(notchQ));
        m.put("baseline", baseline.name());
        m.put("normalization", normalization.name());
        return m;
    }

    /**
     * Reads a map written by {@link #toMap()}. Values may be strings or numbers (as a JSON parser
     * returns them); keys other than these are ignored. Every key is required: a card without
     * one is an error naming the key, never a silent default.
     *
     * @throws IllegalArgumentException naming the missing or bad key
     */
    public static PreprocessingConfig fromMap(Map<String, ?> map) {
        int version = intValue(map, "version");
        require(version == VERSION, "version", "this code builds version " + VERSION + ", the card has " + version);
        require(intValue(map, "highPassOrder") == HIGH_PASS_ORDER, "highPassOrder",
                "version " + VERSION + " uses order " + HIGH_PASS_ORDER);
        require(intValue(map, "lowPassOrder") == LOW_PASS_ORDER, "lowPassOrder",
                "version " + VERSION + " uses order " + LOW_PASS_ORDER);
        return new PreprocessingConfig(
                intValue(map, "inputFs"),
                intValue(map, "outputFs"),
                doubleValue(map, "bandLowHz"),
                doubleValue(map, "bandHighHz"),
                doubleValue(map, "notchHz"),
                doubleValue(map, "notchQ"),
                enumValue(map, "baseline", Baseline.class),
                enumValue(map, "normalization", Normalizer.Method.class));
    }

    /**
     * A deterministic 31-bit fingerprint of the whole config, inputFs included since it changes the
     * resampler. Built from {@link #toMap()} text, which (unlike enum hash codes) is the same in
     * every JVM, so it can sit at the head of saved state and stop a restore into a chain of a
     * different design.
     */
    public int fingerprint() {
        return toMap().toString().hashCode() & 0x7fffffff;
    }

    private static String raw(Map<String, ?> map, String key) {
        Object v = map.get(key);
        require(v != null, key, "missing from the preprocessing map");
        return v.toString().strip();
    }

    private static int intValue(Map<String, ?> map, String key) {
        String s = raw(map, key);
        try {
            double d = Double.parseDouble(s);
            require(d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE, key, "must be an integer, got " + s);
            return (int) d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("preprocessing key '" + key + "': not a number: " + s, e);
        }
    }

    private static double doubleValue(Map<String, ?> map, String key) {
        String s = raw(map, key);
        try {
            double d = Double.parseDouble(s);
            require(Double.isFinite(d), key, "must be finite, got " + s);
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("preprocessing key '" + key + "': not a number: " + s, e);
        }
    }

    private static <E extends Enum<E>> E enumValue(Map<String, ?> map, String key, Class<E> type) {
        String s = raw(map, key);
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("preprocessing key '" + key + "': unknown value " + s, e);
        }
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("preprocessing key '" + key + "': " + message);
        }
    }
}
