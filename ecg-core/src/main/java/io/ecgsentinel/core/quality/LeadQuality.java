package io.ecgsentinel.core.quality;

/**
 * Signal quality of one lead over one analysis window, as judged by {@link SignalQuality}: the
 * problem flags, the measurements behind them, a quality index and the usable verdict.
 *
 * @param flat the lead barely moves: standard deviation below threshold, or one value held for
 *     too long (a disconnected input or a stuck ADC)
 * @param clipped samples pile up at the rails or at a repeated extreme value (saturation)
 * @param leadOff the electrode is off: device flag, long NaN runs, a flat line at a rail, or a
 *     DC offset no ECG can have
 * @param noisy power above the high-frequency edge is large against the QRS band (muscle noise,
 *     mains without notch)
 * @param baselineDrift the low-frequency baseline wanders by more than the threshold
 * @param index 0 (unusable) to 1 (clean); a product of soft scores so several moderate problems
 *     add up; 0 when flat or lead-off
 * @param usable whether downstream analysis should use this lead in this window
 * @param stdMv standard deviation of the finite samples (mV)
 * @param dcOffsetMv median of the finite samples (mV)
 * @param clippedFraction share of samples at a rail or the window's repeated extreme
 * @param nanFraction share of NaN (missing) samples
 * @param hfNoiseRatio power above the noise edge divided by power in the QRS band (NaN when the
 *     sampling rate is too low to measure it)
 * @param driftMv range of the window's half-second baseline medians (mV)
 * @param flatSeconds longest run of one repeated value (s)
 */
public record LeadQuality(
        boolean flat,
        boolean clipped,
        boolean leadOff,
        boolean noisy,
        boolean baselineDrift,
        double index,
        boolean usable,
        double stdMv,
        double dcOffsetMv,
        double clippedFraction,
        double nanFraction,
        double hfNoiseRatio,
        double driftMv,
        double flatSeconds) implements java.io.Serializable {

    /** Whether any problem flag is set. */
    public boolean anyFlag() {
        return flat || clipped || leadOff || noisy || baselineDrift;
    }
}
