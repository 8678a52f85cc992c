package io.ecgsentinel.core.wfdb;

/**
 * One signal line of a WFDB header: where the samples are stored and how ADC units map to physical
 * units.
 *
 * @param fileName the signal file (for example {@code 100.dat} or {@code E07500.mat})
 * @param format storage format (16, 212, 80, 61, 310, 311, ...)
 * @param samplesPerFrame samples of this signal per frame (the {@code x} suffix of the format)
 * @param skew skew in frames (the {@code :} suffix), kept for completeness
 * @param byteOffset bytes to skip at the start of the file before the first sample (the {@code +}
 *     suffix, as the CinC {@code .mat} files use)
 * @param adcGain ADC units per physical unit (200 when the header leaves it out)
 * @param baseline the ADC value that corresponds to 0 physical units
 * @param units physical units (mV when the header leaves them out)
 * @param adcResolution bits of the ADC
 * @param adcZero the ADC value at the centre of its range
 * @param initialValue value of the first sample (checked by readers)
 * @param checksum 16-bit sum of all samples (checked by readers)
 * @param blockSize block size (0 for ordinary files)
 * @param description the signal description, usually the lead name
 */
public record SignalSpec(
        String fileName,
        int format,
        int samplesPerFrame,
        int skew,
        long byteOffset,
        double adcGain,
        int baseline,
        String units,
        int adcResolution,
        int adcZero,
        int initialValue,
        int checksum,
        int blockSize,
        String description) {

    /** Converts an ADC value to physical units. */
    public double toPhysical(int adc) {
        return (adc - baseline) / adcGain;
    }
}
