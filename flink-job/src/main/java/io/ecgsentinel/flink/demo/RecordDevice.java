package io.ecgsentinel.flink.demo;

import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.util.Arrays;

/** Replays an archived record (ecg-core {@link EcgSignal}) as a device, in frames of a fifth of a second. */
public final class RecordDevice implements DemoDevice {

    private final String patientId;
    private final EcgSignal signal;
    private final int fs;
    private final long startMicros;
    private final int frameSamples;
    private final long limit;
    private long position;
    private long sequence;

    public RecordDevice(String patientId, EcgSignal signal, long startMicros, double maxSeconds) {
        this.patientId = patientId;
        this.signal = signal;
        this.fs = (int) Math.round(signal.samplingFrequency());
        this.startMicros = startMicros;
        this.frameSamples = Math.max(1, fs / 5);
        this.limit = Math.min(signal.length(), maxSeconds > 0 ? Math.round(maxSeconds * fs) : Long.MAX_VALUE);
    }

    @Override
    public String patientId() {
        return patientId;
    }

    @Override
    public int sampleRate() {
        return fs;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long lengthSamples() {
        return limit;
    }

    @Override
    public long timeMicros(long index) {
        return startMicros + index * 1_000_000L / fs;
    }

    @Override
    public EcgFrame nextFrame() {
        int n = (int) Math.min(frameSamples, limit - position);
        float[][] mv = new float[signal.leadCount()][];
        for (int k = 0; k < mv.length; k++) {
            mv[k] = Arrays.copyOfRange(signal.millivolts()[k], (int) position, (int) position + n);
        }
        float[] gain = new float[mv.length];
        Arrays.fill(gain, SyntheticPatient.GAIN);
        EcgFrame f = EcgFrames.builder(patientId, "replay-" + signal.name(), sequence++, timeMicros(position), fs,
                signal.leadNames(), mv, gain).build();
        position += n;
        return f;
    }
}
