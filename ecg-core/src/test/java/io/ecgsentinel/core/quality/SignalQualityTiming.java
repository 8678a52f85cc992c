package io.ecgsentinel.core.quality;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hand-run timing harness (not a test, no JMH): {@link SignalQuality#assess} against the
 * pre-optimisation {@link ReferenceSignalQuality} on the Flink job's load, 12 leads x 5000
 * samples (10 s at 500 Hz, PTB-XL records500 when the data directory has them, else synthetic).
 *
 * <pre>
 * mvn -B -o -q test-compile -pl ecg-core
 * mvn -B -o -q dependency:build-classpath -pl ecg-core -Dmdep.outputFile=/tmp/ecg-core.cp
 * java -cp ecg-core/target/test-classes:ecg-core/target/classes:$(cat /tmp/ecg-core.cp) \
 *     io.ecgsentinel.core.quality.SignalQualityTiming [iterations=2000] [rounds=3]
 * </pre>
 *
 * Each round times {@code iterations} passes over 12 leads for each implementation (alternating,
 * after a warm-up) and prints ns per {@code assess} call. The machine may be shared: compare
 * several rounds, not one number.
 */
public final class SignalQualityTiming {

    private static final int FS = 500;
    private static final int LEADS = 12;
    private static final int LEN = 10 * FS;

    private SignalQualityTiming() {}

    public static void main(String[] args) throws IOException {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<float[][]> windows = windows();
        System.out.printf("%d windows of %d leads x %d samples at %d Hz, %d iterations per round%n",
                windows.size(), LEADS, LEN, FS, iterations);

        SignalQuality opt = new SignalQuality(FS);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(FS);
        // Warm-up: let C2 compile both.
        run(opt, ref, windows, Math.max(200, iterations / 4), true);
        run(opt, ref, windows, Math.max(200, iterations / 4), false);
        for (int r = 0; r < rounds; r++) {
            long refNs = run(opt, ref, windows, iterations, false);
            long optNs = run(opt, ref, windows, iterations, true);
            double calls = (double) iterations * LEADS;
            System.out.printf("round %d: reference %,.0f ns/call, optimised %,.0f ns/call, speed-up x%.2f%n", r + 1,
                    refNs / calls, optNs / calls, (double) refNs / optNs);
        }
    }

    private static long run(SignalQuality opt, ReferenceSignalQuality ref, List<float[][]> windows, int iterations,
            boolean optimised) {
        double sink = 0;
        long start = System.nanoTime();
        for (int it = 0; it < iterations; it++) {
            float[][] w = windows.get(it % windows.size());
            for (int k = 0; k < LEADS; k++) {
                LeadQuality q = optimised
                        ? opt.assess(w[k], 0, LEN, false, Double.NaN, Double.NaN)
                        : ref.assess(w[k], 0, LEN, false, Double.NaN, Double.NaN);
                sink += q.index() + q.dcOffsetMv() + q.driftMv();
            }
        }
        long ns = System.nanoTime() - start;
        if (sink == 42.4242) {
            System.out.println(sink);
        }
        return ns;
    }

    private static List<float[][]> windows() throws IOException {
        List<float[][]> out = new ArrayList<>();
        Path dir = null;
        try {
            dir = DataDirs.resolve("ptbxl").resolve("records500/00000");
        } catch (RuntimeException e) {
            System.out.println("no data directory (" + e.getMessage() + "), synthetic windows only");
        }
        if (dir != null && Files.isDirectory(dir)) {
            for (int i = 1; i <= 40 && out.size() < 16; i++) {
                Path hea = dir.resolve(String.format("%05d_hr.hea", i));
                if (!Files.exists(hea)) {
                    continue;
                }
                WfdbRecord r = WfdbRecord.read(hea);
                if (r.samplingFrequency() != FS || r.signalCount() < LEADS || r.length() < LEN) {
                    continue;
                }
                float[][] w = new float[LEADS][];
                for (int k = 0; k < LEADS; k++) {
                    w[k] = java.util.Arrays.copyOf(r.millivolts(k), LEN);
                }
                out.add(w);
            }
        }
        if (out.isEmpty()) {
            Random rnd = new Random(1);
            for (int i = 0; i < 8; i++) {
                float[][] w = new float[LEADS][LEN];
                for (int k = 0; k < LEADS; k++) {
                    for (int j = 0; j < LEN; j++) {
                        double t = (double) j / FS;
                        w[k][j] = (float) (Math.pow(Math.sin(Math.PI * 1.2 * t), 40) + 0.3 * Math.sin(0.6 * t)
                                + 0.02 * rnd.nextGaussian());
                    }
                }
                out.add(w);
            }
        }
        return out;
    }
}
