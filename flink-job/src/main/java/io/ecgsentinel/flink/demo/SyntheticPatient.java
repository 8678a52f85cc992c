package io.ecgsentinel.flink.demo;

import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.core.synth.TruthEpisode;
import io.ecgsentinel.core.synth.TruthRecorder;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated bedside device: ecg-core's {@link EcgSynthesizer} (deterministic for a seed, with the
 * exact truth of every scheduled event) cut into {@link EcgFrame}s on the device's sample clock. The
 * demo and the integration tests drive their patients through it.
 */
public final class SyntheticPatient implements DemoDevice {

    /** ADC units per millivolt of the simulated devices. */
    public static final float GAIN = 200f;

    private final String patientId;
    private final String deviceId;
    private final int fs;
    private final long startMicros;
    private final int frameSamples;
    private final EcgSynthesizer synth;
    private final TruthRecorder truth = new TruthRecorder();
    private final List<String> leads;
    private long sequence;

    public SyntheticPatient(String patientId, String deviceId, long seed, Scenario scenario, int fs,
            List<StandardLead> leads, long startMicros, int frameSamples) {
        this.patientId = patientId;
        this.deviceId = deviceId;
        this.fs = fs;
        this.startMicros = startMicros;
        this.frameSamples = frameSamples;
        this.synth = EcgSynthesizer.builder().seed(seed).sampleRate(fs).leads(leads).scenario(scenario)
                .truthListener(truth).build();
        this.leads = leads.stream().map(StandardLead::label).toList();
    }

    @Override
    public String patientId() {
        return patientId;
    }

    @Override
    public int sampleRate() {
        return fs;
    }

    /** Samples generated so far. */
    @Override
    public long position() {
        return synth.position();
    }

    /** Event time of sample {@code index}. */
    @Override
    public long timeMicros(long index) {
        return startMicros + index * 1_000_000L / fs;
    }

    /** The next frame (sequence numbers from 0). */
    @Override
    public EcgFrame nextFrame() {
        long first = synth.position();
        float[][] mv = synth.next(frameSamples);
        float[] gain = new float[mv.length];
        java.util.Arrays.fill(gain, GAIN);
        EcgFrame.Builder b = EcgFrames.builder(patientId, deviceId, sequence++, timeMicros(first), fs, leads, mv, gain);
        boolean[] off = synth.lastLeadOff();
        List<Boolean> flags = new ArrayList<>(off.length);
        for (boolean o : off) {
            flags.add(o);
        }
        b.setLeadOff(flags);
        List<Integer> marks = new ArrayList<>();
        for (int m : synth.lastPacingMarks()) {
            marks.add(m);
        }
        b.setPacingMarks(marks);
        return b.build();
    }

    /** Episodes that have started so far (rhythms, modifiers, point events), on the sample clock. */
    public List<TruthEpisode> episodes() {
        return truth.episodes();
    }

    public TruthRecorder truth() {
        return truth;
    }
}
