package io.ecgsentinel.schemas;

import io.ecgsentinel.schemas.avro.DeadLetterReason;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds, decodes and checks {@link EcgFrame}s, whose samples travel as little-endian int16 ADC values
 * (lead-major) with a per-lead gain and baseline: about half the size of float32 and the native form of
 * WFDB-style recorders (the measurement behind this choice is in the EcgFrame schema doc). Producers go
 * through {@link #builder} so the byte layout lives in one place; consumers call {@link #validate} on
 * every decoded frame, whose {@link Problem} carries the dead-letter reason, and then
 * {@link #decodeMillivolts} or {@link #decodeLead}.
 */
public final class EcgFrames {

    /** ADC value marking a missing sample; encodes NaN and decodes to NaN (WFDB format 16 convention). */
    public static final short MISSING_SAMPLE = Short.MIN_VALUE;

    /** Largest ADC value; larger values saturate here, smaller ones at {@code -MAX_ADC}. */
    public static final int MAX_ADC = Short.MAX_VALUE;

    /** Lowest sample rate {@link #validate} accepts. */
    public static final int MIN_SAMPLE_RATE_HZ = 50;

    /** Highest sample rate {@link #validate} accepts. */
    public static final int MAX_SAMPLE_RATE_HZ = 10_000;

    private EcgFrames() {}

    /** What is wrong with a frame, as the dead-letter reason code plus a message without patient data. */
    public record Problem(DeadLetterReason reason, String message) {}

    /**
     * A builder with every field set: samples quantised from {@code millivolts} with {@code gain}, baseline
     * 0, no lead off, no pacing marks. Callers may change fields before {@code build()}.
     *
     * @param leads lead names, one per row of {@code millivolts}
     * @param millivolts {@code [lead][sample]}, all rows the same length; NaN or infinite = missing
     * @param gain ADC units per millivolt, per lead (for example 200)
     */
    public static EcgFrame.Builder builder(
            String patientId,
            String deviceId,
            long sequence,
            long firstSampleTimeMicros,
            int sampleRateHz,
            List<String> leads,
            float[][] millivolts,
            float[] gain) {
        int leadCount = leads.size();
        if (millivolts.length != leadCount || gain.length != leadCount) {
            throw new IllegalArgumentException(
                    leadCount + " lead names but " + millivolts.length + " sample rows and "
                            + gain.length + " gains");
        }
        int[] baseline = new int[leadCount];
        ByteBuffer samples = encodeSamples(millivolts, gain, baseline);
        List<Float> gains = new ArrayList<>(leadCount);
        List<Integer> baselines = new ArrayList<>(leadCount);
        for (int k = 0; k < leadCount; k++) {
            gains.add(gain[k]);
            baselines.add(baseline[k]);
        }
        return EcgFrame.newBuilder()
                .setPatientId(patientId)
                .setDeviceId(deviceId)
                .setSequence(sequence)
                .setFirstSampleTimeMicros(firstSampleTimeMicros)
                .setSampleRateHz(sampleRateHz)
                .setSamplesPerLead(millivolts.length == 0 ? 0 : millivolts[0].length)
                .setLeads(new ArrayList<>(leads))
                .setGain(gains)
                .setBaseline(baselines)
                .setSamples(samples)
                .setLeadOff(new ArrayList<>(Collections.nCopies(leadCount, Boolean.FALSE)))
                .setPacingMarks(new ArrayList<>());
    }

    /**
     * Quantises millivolts to the {@code samples} byte layout: {@code adc = round(baseline + mV * gain)}
     * (to nearest, ties to even), saturated to [-32767, 32767]; NaN and infinities become
     * {@link #MISSING_SAMPLE}.
     *
     * @throws IllegalArgumentException if rows differ in length or the per-lead arrays do not match
     */
    public static ByteBuffer encodeSamples(float[][] millivolts, float[] gain, int[] baseline) {
        int leads = millivolts.length;
        if (gain.length != leads || baseline.length != leads) {
            throw new IllegalArgumentException(
                    leads + " leads but " + gain.length + " gains and " + baseline.length + " baselines");
        }
        int n = leads == 0 ? 0 : millivolts[0].length;
        ByteBuffer out = ByteBuffer.allocate(2 * leads * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < leads; k++) {
            float[] row = millivolts[k];
            if (row.length != n) {
                throw new IllegalArgumentException(
                        "lead " + k + " has " + row.length + " samples, lead 0 has " + n);
            }
            float g = gain[k];
            if (!(g > 0) || Float.isInfinite(g)) {
                throw new IllegalArgumentException("gain of lead " + k + " is " + g);
            }
            int b = baseline[k];
            if (b < -MAX_ADC || b > MAX_ADC) {
                throw new IllegalArgumentException("baseline of lead " + k + " is " + b);
            }
            for (int i = 0, pos = 2 * k * n; i < n; i++, pos += 2) {
                float x = b + row[i] * g;
                short adc;
                if (x >= -MAX_ADC && x <= MAX_ADC) { // the common case; false for NaN
                    adc = (short) Math.rint(x); // branch-free round to nearest (ties to even)
                } else if (!Float.isFinite(row[i])) {
                    adc = MISSING_SAMPLE;
                } else {
                    adc = (short) (x > 0 ? MAX_ADC : -MAX_ADC);
                }
                out.putShort(pos, adc);
            }
        }
        return out;
    }

    /** All leads in millivolts, {@code [lead][sample]}; missing samples are NaN. Validate first. */
    public static float[][] decodeMillivolts(EcgFrame frame) {
        int leads = frame.getLeads().size();
        int n = frame.getSamplesPerLead();
        float[][] out = new float[leads][n];
        ByteBuffer samples = littleEndian(frame);
        for (int k = 0; k < leads; k++) {
            decode(frame, samples, k, out[k], 0);
        }
        return out;
    }

    /**
     * Writes lead {@code lead} in millivolts to {@code dst[dstOffset ..]} without allocating, for callers
     * that append frames to their own buffers. Validate first.
     */
    public static void decodeLead(EcgFrame frame, int lead, float[] dst, int dstOffset) {
        Objects.checkIndex(lead, frame.getLeads().size());
        Objects.checkFromIndexSize(dstOffset, frame.getSamplesPerLead(), dst.length);
        decode(frame, littleEndian(frame), lead, dst, dstOffset);
    }

    private static ByteBuffer littleEndian(EcgFrame frame) {
        // slice() so index 0 is the first sample whatever the buffer's position; order is not inherited.
        return frame.getSamples().slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void decode(EcgFrame frame, ByteBuffer samples, int lead, float[] dst, int off) {
        int n = frame.getSamplesPerLead();
        float scale = scale(frame, lead);
        int baseline = frame.getBaseline().get(lead);
        int pos = 2 * lead * n;
        for (int i = 0; i < n; i++, pos += 2) {
            dst[off + i] = millivolts(samples.getShort(pos), baseline, scale);
        }
    }

    /**
     * The one conversion from an ADC value to millivolts: NaN for {@link #MISSING_SAMPLE}, else
     * {@code (adc - baseline) * scale} in float, with {@code scale} from {@link #scale}. Whoever keeps
     * ADC values and converts later (the job's frame buffer) gets the same floats as {@link
     * #decodeMillivolts}, to the bit.
     */
    public static float millivolts(short adc, int baseline, float scale) {
        return adc == MISSING_SAMPLE ? Float.NaN : (adc - baseline) * scale;
    }

    /** Millivolts per ADC unit of lead {@code lead}: {@code 1f / gain}, as {@link #millivolts} takes it. */
    public static float scale(EcgFrame frame, int lead) {
        return 1f / frame.getGain().get(lead);
    }

    /** The raw ADC values of lead {@code lead} into {@code dst[dstOffset ..]} (validate first). */
    public static void adcLead(EcgFrame frame, int lead, short[] dst, int dstOffset) {
        Objects.checkIndex(lead, frame.getLeads().size());
        int n = frame.getSamplesPerLead();
        Objects.checkFromIndexSize(dstOffset, n, dst.length);
        littleEndian(frame).position(2 * lead * n).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer().get(dst, dstOffset, n);
    }

    /** Event time of sample {@code index}: first sample time + index / rate, in UTC microseconds. */
    public static long sampleTimeMicros(EcgFrame frame, long index) {
        return frame.getFirstSampleTimeMicros() + index * 1_000_000L / frame.getSampleRateHz();
    }

    /** Event time just after the last sample, which is where the device's next frame should start. */
    public static long endTimeMicros(EcgFrame frame) {
        return sampleTimeMicros(frame, frame.getSamplesPerLead());
    }

    /**
     * The first problem that makes {@code frame} unusable, or empty if it is consistent: ids present,
     * sequence and time non-negative, rate within [{@value #MIN_SAMPLE_RATE_HZ},
     * {@value #MAX_SAMPLE_RATE_HZ}] Hz, a non-empty list of distinct leads with one gain, baseline and
     * lead-off flag each, finite positive gains, int16 baselines, {@code 2 * leads * samplesPerLead}
     * sample bytes, and ascending pacing marks inside the frame. Messages never contain the patient id.
     */
    public static Optional<Problem> validate(EcgFrame frame) {
        if (frame.getPatientId().isEmpty() || frame.getDeviceId().isEmpty()) {
            return problem(DeadLetterReason.INVALID_VALUES, "empty patientId or deviceId");
        }
        if (frame.getSequence() < 0 || frame.getFirstSampleTimeMicros() < 0) {
            return problem(DeadLetterReason.INVALID_VALUES, "negative sequence or firstSampleTimeMicros");
        }
        int rate = frame.getSampleRateHz();
        if (rate < MIN_SAMPLE_RATE_HZ || rate > MAX_SAMPLE_RATE_HZ) {
            return problem(DeadLetterReason.BAD_SAMPLE_RATE, "sampleRateHz " + rate);
        }
        List<String> leads = frame.getLeads();
        int leadCount = leads.size();
        if (leadCount == 0) {
            return problem(DeadLetterReason.LEAD_COUNT_MISMATCH, "no leads");
        }
        if (frame.getGain().size() != leadCount
                || frame.getBaseline().size() != leadCount
                || frame.getLeadOff().size() != leadCount) {
            return problem(
                    DeadLetterReason.LEAD_COUNT_MISMATCH,
                    String.format(
                            "%d leads but %d gains, %d baselines, %d lead-off flags",
                            leadCount,
                            frame.getGain().size(),
                            frame.getBaseline().size(),
                            frame.getLeadOff().size()));
        }
        if (new HashSet<>(leads).size() != leadCount || leads.contains("")) {
            return problem(DeadLetterReason.INVALID_VALUES, "empty or repeated lead name in " + leads);
        }
        for (int k = 0; k < leadCount; k++) {
            float g = frame.getGain().get(k);
            int b = frame.getBaseline().get(k);
            if (!(g > 0) || Float.isInfinite(g)) {
                return problem(DeadLetterReason.INVALID_VALUES, "gain of " + leads.get(k) + " is " + g);
            }
            if (b < Short.MIN_VALUE || b > Short.MAX_VALUE) {
                return problem(
                        DeadLetterReason.INVALID_VALUES, "baseline of " + leads.get(k) + " is " + b);
            }
        }
        int n = frame.getSamplesPerLead();
        long expectedBytes = 2L * leadCount * n;
        int actualBytes = frame.getSamples().remaining();
        if (n <= 0 || actualBytes != expectedBytes) {
            return problem(
                    DeadLetterReason.SAMPLE_COUNT_MISMATCH,
                    String.format(
                            "%d sample bytes for %d leads x %d samples (expected %d)",
                            actualBytes, leadCount, n, expectedBytes));
        }
        int previous = -1;
        for (int mark : frame.getPacingMarks()) {
            if (mark <= previous || mark >= n) {
                return problem(
                        DeadLetterReason.INVALID_VALUES,
                        "pacing mark " + mark + " not ascending within [0, " + n + ")");
            }
            previous = mark;
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(DeadLetterReason reason, String message) {
        return Optional.of(new Problem(reason, message));
    }
}
