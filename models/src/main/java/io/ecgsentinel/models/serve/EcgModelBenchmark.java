package io.ecgsentinel.models.serve;

import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindows;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Microbenchmark of batched DJL inference: windows per second at batch 1, 32 and 256 (or the batch
 * sizes given), and the process CPU time per window (TensorFlow's own pools included), which is what
 * a CPU-bound pipeline pays for each scored beat.
 *
 * <pre>
 * java -cp "$(cat .ecg/classpath.txt)" -Dai.djl.offline=true io.ecgsentinel.models.serve.EcgModelBenchmark [MODEL_DIR] [SECONDS] [BATCH,BATCH...]
 * </pre>
 */
public final class EcgModelBenchmark {

    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : DefaultModel.path();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        int[] batches = args.length > 2
                ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 32, 256};
        Random rnd = new Random(1);
        try (EcgModel m = EcgModel.load(dir); EcgModel.Scorer s = m.newScorer()) {
            System.out.println("model " + m.directory() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
            for (int batch : batches) {
                BeatWindows w = new BeatWindows(batch);
                w.size = batch;
                for (int i = 0; i < w.ecg.length; i++) w.ecg[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < batch; i++) {
                    w.mask[i * ModelSpec.N_LEADS + 1] = 1;
                    w.mask[i * ModelSpec.N_LEADS + 6] = 1;
                    for (int k = 0; k < ModelSpec.RR_FEATURES; k++) w.rr[i * ModelSpec.RR_FEATURES + k] = 1f;
                }
                for (int i = 0; i < 5; i++) s.score(w); // warm-up
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                long calls = 0;
                while (System.nanoTime() - t0 < seconds * 1e9) {
                    s.score(w);
                    calls++;
                }
                double el = (System.nanoTime() - t0) / 1e9;
                double cpu = (processCpuNanos() - cpu0) / 1e9;
                System.out.printf(Locale.ROOT, "batch %4d: %8.0f windows/s, %.2f ms per call, %.3f ms CPU per window"
                                + " (%.2f cores)%n", batch, calls * batch / el, 1000 * el / calls,
                        1000 * cpu / (calls * batch), cpu / el);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
