package io.ecgsentinel.simulator;

import io.ecgsentinel.core.synth.EcgSynthesizer;
import io.ecgsentinel.core.synth.EventType;
import io.ecgsentinel.core.synth.NoiseLevel;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.core.synth.TruthBeat;
import io.ecgsentinel.core.synth.TruthEpisode;
import io.ecgsentinel.core.synth.TruthListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A synthetic patient: ecg-core's {@link EcgSynthesizer} behind the {@link PatientStream}
 * interface. Every scheduled episode becomes a truth event at its onset; beats too if asked.
 */
public final class SyntheticPatient implements PatientStream {

    /** ADC units per mV of synthetic frames: 5 uV resolution, +-163 mV range. */
    public static final float GAIN = 200f;

    private final String patientId;
    private final String deviceId;
    private final EcgSynthesizer gen;
    private final List<String> leads;
    private final float[] gains;
    private final TruthBeats beats;
    private final List<TruthEvent> pendingTruth = new ArrayList<>();

    public SyntheticPatient(String patientId, String deviceId, EcgSynthesizer gen, TruthBeats beats) {
        this.patientId = patientId;
        this.deviceId = deviceId;
        this.gen = gen;
        this.beats = beats;
        this.leads = gen.leads().stream().map(StandardLead::label).toList();
        this.gains = new float[leads.size()];
        Arrays.fill(gains, GAIN);
        if (gen.sampleRate() != Math.rint(gen.sampleRate())) {
            throw new IllegalArgumentException("frames need an integral sample rate, got " + gen.sampleRate());
        }
        gen.truthListener(new TruthListener() {
            @Override
            public void onBeat(TruthBeat b) {
                TruthEvent e = beats.event(b.sample(), b.symbol(), b.aami());
                if (e != null) {
                    pendingTruth.add(e);
                }
            }

            @Override
            public void onEpisode(TruthEpisode e) {
                pendingTruth.add(new TruthEvent(e.type().truthCode(), e.onsetSample(), e.endSample(),
                        e.detail().isEmpty() ? null : e.detail(), e.type() == EventType.LEAD_OFF));
            }
        });
    }

    /**
     * Patient {@code index} of a simulation with {@code seed}: its own generator seed, opaque
     * patient and device ids, and the given scenario.
     */
    public static SyntheticPatient create(long seed, int index, double sampleRate, List<StandardLead> leads,
            Scenario scenario, NoiseLevel noise, double mainsHz, TruthBeats beats) {
        long s = patientSeed(seed, index);
        EcgSynthesizer g = EcgSynthesizer.builder().seed(s).sampleRate(sampleRate).leads(leads)
                .scenario(scenario).noise(noise).mainsHz(mainsHz).build();
        return new SyntheticPatient(patientIdOf(seed, index), deviceIdOf(seed, index), g, beats);
    }

    /** The generator seed of patient {@code index}. */
    public static long patientSeed(long seed, int index) {
        return mix(seed * 0x9E3779B97F4A7C15L + index);
    }

    /** Opaque patient id of synthetic patient {@code index} of {@code seed}. */
    public static String patientIdOf(long seed, int index) {
        return String.format(Locale.ROOT, "sim-%012x", mix(patientSeed(seed, index)) >>> 16);
    }

    static String deviceIdOf(long seed, int index) {
        return String.format(Locale.ROOT, "simdev-%08x", mix(patientSeed(seed, index) + 1) >>> 32);
    }

    public EcgSynthesizer generator() {
        return gen;
    }

    @Override
    public String patientId() {
        return patientId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String source() {
        return "synthetic";
    }

    @Override
    public int sampleRateHz() {
        return (int) gen.sampleRate();
    }

    @Override
    public List<String> leads() {
        return leads;
    }

    @Override
    public float[] gains() {
        return gains;
    }

    @Override
    public long position() {
        return gen.position();
    }

    @Override
    public boolean finished() {
        return false;
    }

    @Override
    public int next(float[][] out, int n, boolean[] leadOff, List<Integer> pacingMarks, List<TruthEvent> truth) {
        gen.next(out, 0, n);
        System.arraycopy(gen.lastLeadOff(), 0, leadOff, 0, leadOff.length);
        for (int m : gen.lastPacingMarks()) {
            pacingMarks.add(m);
        }
        truth.addAll(pendingTruth);
        pendingTruth.clear();
        return n;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
