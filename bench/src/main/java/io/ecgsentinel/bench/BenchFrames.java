package io.ecgsentinel.bench;

import io.ecgsentinel.core.synth.NoiseLevel;
import io.ecgsentinel.core.synth.Scenarios;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.simulator.PatientStream;
import io.ecgsentinel.simulator.SyntheticPatient;
import io.ecgsentinel.simulator.TruthBeats;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's load: the device simulator's synthetic patients exactly as {@code ./ecg simulate} makes
 * them (12 standard leads, 500 Hz, low noise, 50 Hz mains, the varied "mixed" scenarios), and their
 * frames encoded as on the wire (100 ms = 50 samples per lead, Avro single-object encoding), for the
 * ceilings and microbenchmarks that need frames without a running simulator.
 */
public final class BenchFrames {

    public static final int SAMPLE_RATE = 500;
    public static final int FRAME_MILLIS = 100;
    public static final int FRAME_SAMPLES = SAMPLE_RATE * FRAME_MILLIS / 1000;
    public static final int LEADS = 12;
    public static final String PRESET = "mixed";

    private BenchFrames() {}

    /** Patient {@code i} of {@code seed}, its scenario {@code seconds} long. */
    public static SyntheticPatient patient(long seed, int i, double seconds) {
        return SyntheticPatient.create(seed, i, SAMPLE_RATE, StandardLead.ALL,
                Scenarios.preset(PRESET, Math.max(60, seconds), SyntheticPatient.patientSeed(seed, i)),
                NoiseLevel.LOW, 50, TruthBeats.NONE);
    }

    public static List<PatientStream> patients(long seed, int n, double seconds) {
        List<PatientStream> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(patient(seed, i, seconds));
        }
        return out;
    }

    /** {@code frames} consecutive encoded frames of one patient, starting at event time {@code t0Micros}. */
    public static List<byte[]> encodedFrames(long seed, int patient, int frames, long t0Micros) {
        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        List<byte[]> out = new ArrayList<>(frames);
        for (EcgFrame f : frames(seed, patient, frames, t0Micros)) {
            out.add(serde.serialize(f));
        }
        return out;
    }

    /** {@code frames} consecutive frames of one patient (a continuous signal). */
    public static List<EcgFrame> frames(long seed, int patient, int frames, long t0Micros) {
        SyntheticPatient p = patient(seed, patient, frames * FRAME_MILLIS / 1000.0 + 1);
        float[][] buf = new float[p.leads().size()][FRAME_SAMPLES];
        boolean[] off = new boolean[p.leads().size()];
        List<EcgFrame> out = new ArrayList<>(frames);
        for (int s = 0; s < frames; s++) {
            long first = p.position();
            p.next(buf, FRAME_SAMPLES, off, new ArrayList<>(), new ArrayList<>());
            out.add(EcgFrames.builder(p.patientId(), p.deviceId(), s,
                    t0Micros + first * 1_000_000L / SAMPLE_RATE, SAMPLE_RATE, p.leads(), buf, p.gains()).build());
        }
        return out;
    }

    /** {@code seconds} of one patient's continuous signal, {@code [lead][sample]} in mV. */
    public static float[][] signal(long seed, int patient, double seconds) {
        SyntheticPatient p = patient(seed, patient, seconds + 1);
        int n = (int) Math.round(seconds * SAMPLE_RATE);
        float[][] out = new float[p.leads().size()][n];
        float[][] buf = new float[p.leads().size()][FRAME_SAMPLES];
        boolean[] off = new boolean[p.leads().size()];
        for (int pos = 0; pos < n; pos += FRAME_SAMPLES) {
            int len = Math.min(FRAME_SAMPLES, n - pos);
            p.next(buf, len, off, new ArrayList<>(), new ArrayList<>());
            for (int k = 0; k < out.length; k++) {
                System.arraycopy(buf[k], 0, out[k], pos, len);
            }
        }
        return out;
    }
}
