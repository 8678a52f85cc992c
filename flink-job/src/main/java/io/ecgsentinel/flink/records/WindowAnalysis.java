package io.ecgsentinel.flink.records;

/**
 * What {@code WindowAnalyzer} found in one analysis window, and what the alarm rules need: the beats
 * that became final in this window (event time, QRS width, the width rule's ventricular verdict, and
 * the model's per-beat probabilities once {@code ModelScorer} has filled them in), heart rate,
 * signal quality and the spectral features of ventricular fibrillation.
 *
 * @param readyUpToMicros the beat list is complete up to this event time (later beats may still be
 *     undecided); rules that look for the absence of beats stop here
 * @param lastGapMicros event time of the newest sample with no usable signal (a gap or every lead
 *     off), or Long.MIN_VALUE when the stream has had none since it started
 * @param scoredBeatMicros beats (reported in this or an earlier window) whose model input is cut in
 *     this window; the model needs a second of signal after a beat, so it lags the rules
 * @param beatVProb per scored beat: model probability of a ventricular beat (filled by the scorer)
 * @param beatModelV per scored beat: 1 when the models module's beat decision rule
 *     ({@code ModelSpec.beatClass}, the rule {@code ecg evaluate} scores) calls it ventricular, else 0
 * @param periodicBpm rhythm rate from the signal's autocorrelation over the last seconds (NaN if none)
 * @param periodicity autocorrelation at that period (0..1)
 * @param modelEcg model input rows of the scored beats ({@code [beats, WINDOW, ECG_CHANNELS]}: 12 leads and 12 template-difference channels), emptied by the scorer
 */
public record WindowAnalysis(
        String patientId,
        String deviceId,
        int epoch,
        long windowStartMicros,
        long windowEndMicros,
        long readyUpToMicros,
        long lastGapMicros,
        long latestArrivalMillis,
        long[] beatMicros,
        float[] beatWidthMs,
        boolean[] beatWide,
        long[] scoredBeatMicros,
        float[] beatVProb,
        float[] beatModelV,
        float[] beatAfProb,
        float[] beatAnomaly,
        float heartRateBpm,
        int usableLeads,
        int totalLeads,
        String[] leadOffLeads,
        String[] usableLeadNames,
        float qualityIndex,
        boolean vfLike,
        float dominantHz,
        float amplitudeMv,
        float periodicBpm,
        float periodicity,
        float[] modelEcg,
        float[] modelMask,
        float[] modelRr) {

    public int beatCount() {
        return beatMicros.length;
    }

    /** A copy with the model's outputs filled in and the model inputs dropped. */
    public WindowAnalysis withModelScores(float[] vProb, float[] modelV, float[] afProb, float[] anomaly) {
        return new WindowAnalysis(patientId, deviceId, epoch, windowStartMicros, windowEndMicros, readyUpToMicros,
                lastGapMicros, latestArrivalMillis, beatMicros, beatWidthMs, beatWide, scoredBeatMicros, vProb, modelV, afProb, anomaly,
                heartRateBpm, usableLeads, totalLeads, leadOffLeads, usableLeadNames, qualityIndex, vfLike,
                dominantHz, amplitudeMv, periodicBpm, periodicity, new float[0], new float[0], new float[0]);
    }
}
