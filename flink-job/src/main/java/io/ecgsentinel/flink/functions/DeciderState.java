package io.ecgsentinel.flink.functions;

/**
 * Per-patient state of {@link AlertDecider} (a Flink POJO): the recent beats with their ventricular
 * verdicts, and per alarm type (indexed by {@code AlertType.ordinal()}) whether an alarm episode is
 * active, its id and onset, the persistence and hysteresis counters, and the storm-limit window.
 */
public class DeciderState {
    public int epoch;
    public long[] beatMicros = new long[0];
    public float[] beatWidthMs = new float[0];
    public boolean[] beatWide = new boolean[0];
    public float[] beatVProb = new float[0];
    /** 1 when the model's beat decision rule calls the beat ventricular, 0 when not, NaN unscored. */
    public float[] beatModelV = new float[0];
    public float[] beatAfProb = new float[0];
    public float baselineWidthMs = Float.NaN;
    /** A model scores the beats: its ventricular class replaces the width rule. */
    public boolean modelServed;

    public boolean[] active;
    public String[] ids;
    public long[] onset;
    public int[] evidenceRun;
    public int[] clearRun;
    public long[] lastUpdateMicros;
    public float[] lastHr;
    public long[] stormStartMicros;
    public int[] stormCount;
    public long lastWindowEndMillis;

    public DeciderState() {}

    static DeciderState create(int types) {
        DeciderState s = new DeciderState();
        s.active = new boolean[types];
        s.ids = new String[types];
        s.onset = new long[types];
        s.evidenceRun = new int[types];
        s.clearRun = new int[types];
        s.lastUpdateMicros = new long[types];
        s.lastHr = new float[types];
        s.stormStartMicros = new long[types];
        s.stormCount = new int[types];
        return s;
    }
}
