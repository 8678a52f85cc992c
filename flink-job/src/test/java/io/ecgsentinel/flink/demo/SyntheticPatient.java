package io.ecgsentinel.flink.demo;

import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.simulator.PatientStream;
import io.ecgsentinel.simulator.TruthBeats;
import io.ecgsentinel.simulator.TruthEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: one simulated bedside device for the operator and pipeline tests, which cut its
 * frames themselves ({@link #nextFrame()}) or hand it to {@link WardProducer}. The patient is the
 * device simulator's {@link io.ecgsentinel.simulator.SyntheticPatient} (ecg-core's generator with
 * the given seed, rate, leads and scenario, default noise); this class only keeps the old test
 * API: fixed-size frames on a clock starting at {@code startMicros}.
 */
public final class SyntheticPatient {

    /** ADC units per millivolt of the simulated devices. */
    public static final float GAIN = io.ecgsentinel.simulator.SyntheticPatient.GAIN;

    private final io.ecgsentinel.simulator.SyntheticPatient stream;
    private final int fs;
    private final long startMicros;
    private final int frameSamples;
    private final float[][] buf;
    private final boolean[] leadOff;
    private final List<TruthEvent> truth = new ArrayList<>();
    private long sequence;

    public SyntheticPatient(String patientId, String deviceId, long seed, Scenario scenario, int fs,
            List<StandardLead> leads, long startMicros, int frameSamples) {
        EcgSynthesizer gen = EcgSynthesizer.builder().seed(seed).sampleRate(fs).leads(leads).scenario(scenario)
                .build();
        this.stream = new io.ecgsentinel.simulator.SyntheticPatient(patientId, deviceId, gen, TruthBeats.NONE);
        this.fs = fs;
        this.startMicros = startMicros;
        this.frameSamples = frameSamples;
        this.buf = new float[leads.size()][frameSamples];
        this.leadOff = new boolean[leads.size()];
    }

    /** The simulator's patient behind this device (for a {@code SimulationRunner}). */
    public PatientStream stream() {
        return stream;
    }

    public String patientId() {
        return stream.patientId();
    }

    public int sampleRate() {
        return fs;
    }

    public int frameSamples() {
        return frameSamples;
    }

    public long startMicros() {
        return startMicros;
    }

    /** Samples generated so far. */
    public long position() {
        return stream.position();
    }

    /** Event time of sample {@code index}. */
    public long timeMicros(long index) {
        return startMicros + index * 1_000_000L / fs;
    }

    /** The next frame (sequence numbers from 0). */
    public EcgFrame nextFrame() {
        long first = stream.position();
        List<Integer> marks = new ArrayList<>();
        java.util.Arrays.fill(leadOff, false);
        stream.next(buf, frameSamples, leadOff, marks, truth);
        float[][] mv = new float[buf.length][];
        for (int k = 0; k < mv.length; k++) {
            mv[k] = buf[k].clone();
        }
        EcgFrame.Builder b = EcgFrames.builder(stream.patientId(), stream.deviceId(), sequence++, timeMicros(first),
                fs, stream.leads(), mv, stream.gains());
        List<Boolean> flags = new ArrayList<>(leadOff.length);
        for (boolean o : leadOff) {
            flags.add(o);
        }
        b.setLeadOff(flags);
        b.setPacingMarks(marks);
        return b.build();
    }

    /** The simulator's truth of the frames cut so far (scheduled episodes, on the sample clock). */
    public List<TruthEvent> truth() {
        return List.copyOf(truth);
    }
}
