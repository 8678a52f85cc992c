package io.ecgsentinel.models.input;

import static io.ecgsentinel.models.ModelSpec.N_LEADS;

import io.ecgsentinel.core.dsp.MultiLeadPreprocessor;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.qrs.QrsDetector;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.models.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whole-record form of the live path, for training, evaluation and {@code ecg predict}: ecg-core's
 * {@link QrsDetector} on the raw leads, ecg-core's {@link MultiLeadPreprocessor} to the model rate,
 * leads mapped onto the 12 standard channels, beat positions mapped with {@code outputIndexOf}. The
 * windows are then cut by {@link BeatWindowExtractor}, exactly as the Flink job does it.
 */
public final class RecordPipeline {

    /** The preprocessing chain the model is trained with (input rate filled in per record). */
    public static PreprocessingConfig defaultConfig() {
        // 100 Hz output: a 50/60 Hz notch is at or above Nyquist and becomes the identity (the
        // resampler's anti-alias filter removes mains); 0.5-40 Hz band-pass; window z-score.
        return PreprocessingConfig.defaults(360).withOutputFs(ModelSpec.FS);
    }

    /**
     * A record ready for window extraction.
     *
     * @param channels 12 channels at the model rate, null where the lead is absent
     * @param beats detected beats, model-rate index into channels
     * @param beatsInput the same beats as input-rate sample indexes (for matching to annotations)
     */
    public record Processed(String name, double inputFs, int inputLength, float[][] channels, int length,
            long[] beats, long[] beatsInput, List<String> leadsUsed) {

        public int presentLeads() {
            int n = 0;
            for (float[] c : channels) if (c != null) n++;
            return n;
        }
    }

    private RecordPipeline() {}

    public static Processed process(EcgSignal sig, PreprocessingConfig base) {
        int fs = (int) Math.round(sig.samplingFrequency());
        List<Integer> src = new ArrayList<>();
        List<Integer> dst = new ArrayList<>();
        List<String> used = new ArrayList<>();
        boolean[] taken = new boolean[N_LEADS];
        for (int i = 0; i < sig.leadCount(); i++) {
            int c = ModelSpec.leadIndex(sig.leadNames().get(i));
            if (c >= 0 && !taken[c]) {
                taken[c] = true;
                src.add(i);
                dst.add(c);
                used.add(sig.leadNames().get(i));
            }
        }
        if (src.isEmpty()) {
            throw new IllegalArgumentException("record " + sig.name() + " has none of the standard leads "
                    + ModelSpec.LEADS + " (leads: " + sig.leadNames() + ")");
        }
        float[][] raw = new float[src.size()][];
        for (int k = 0; k < src.size(); k++) {
            raw[k] = sig.millivolts()[src.get(k)];
        }
        // Beats: the real-time detector on the raw leads (it has its own filters).
        QrsDetector det = new QrsDetector(sig.samplingFrequency(), raw.length);
        List<Long> beats = new ArrayList<>();
        det.process(raw, (sample, decidedAt) -> beats.add(sample));
        long[] bIn = beats.stream().mapToLong(Long::longValue).sorted().distinct().toArray();

        MultiLeadPreprocessor pre = new MultiLeadPreprocessor(base.withInputFs(fs), raw.length);
        float[][] out = pre.process(raw);
        float[][] channels = new float[N_LEADS][];
        for (int k = 0; k < dst.size(); k++) {
            channels[dst.get(k)] = out[k];
        }
        long[] b = new long[bIn.length];
        for (int i = 0; i < bIn.length; i++) {
            b[i] = pre.outputIndexOf(bIn[i]);
        }
        return new Processed(sig.name(), sig.samplingFrequency(), sig.length(), channels, out[0].length, b, bIn, used);
    }

    /** The card's preprocessing map. */
    public static Map<String, String> configMap() {
        return defaultConfig().toMap();
    }
}
