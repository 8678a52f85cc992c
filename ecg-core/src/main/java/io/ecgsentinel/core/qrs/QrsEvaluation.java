package io.ecgsentinel.core.qrs;

import io.ecgsentinel.core.qrs.BeatMatcher.BeatMatch;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.core.wfdb.AnnotationWriter;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Runs the {@link QrsDetector} over annotated WFDB records and scores it with {@link BeatMatcher}:
 * the engine behind {@code ./ecg qrs-eval} and the accuracy tests.
 */
public final class QrsEvaluation {

    /** Samples per lead fed to the detector per call by default (about 0.7 s at 360 Hz). */
    public static final int DEFAULT_CHUNK = 256;

    private QrsEvaluation() {}

    /**
     * Result for one record.
     *
     * @param record record name
     * @param leads the lead names the detector used
     * @param leadsMatched false when leads were asked for but the record has none of them (all used)
     * @param fs sampling frequency
     * @param paced true when at least half of the reference beats are paced ({@code /} or {@code f})
     * @param match the beat-by-beat comparison
     * @param beats detected beat positions (sample indexes), increasing
     * @param delays for each beat, samples between its position and the sample whose arrival
     *     decided it
     */
    public record RecordResult(String record, List<String> leads, boolean leadsMatched, double fs,
            boolean paced, BeatMatch match, long[] beats, long[] delays) {}

    /** Beats of one detector run and the delay of each decision, in samples. */
    public record Detection(long[] beats, long[] delays) {}

    /**
     * Gross totals over several records (sums of TP, FN and FP, then the ratios).
     */
    public record Summary(long referenceBeats, long truePositives, long falseNegatives, long falsePositives) {

        public static Summary of(List<RecordResult> results) {
            long ref = 0;
            long tp = 0;
            long fn = 0;
            long fp = 0;
            for (RecordResult r : results) {
                ref += r.match().referenceBeats();
                tp += r.match().truePositives();
                fn += r.match().fn();
                fp += r.match().fp();
            }
            return new Summary(ref, tp, fn, fp);
        }

        /** Gross sensitivity in percent. */
        public double sensitivity() {
            return BeatMatch.percent(truePositives, truePositives + falseNegatives);
        }

        /** Gross positive predictivity in percent. */
        public double positivePredictivity() {
            return BeatMatch.percent(truePositives, truePositives + falsePositives);
        }

        /** {@code GROSS Se=99.81 +P=99.77}: two decimals, rounded half up. */
        public String grossLine() {
            return String.format(Locale.ROOT, "GROSS Se=%.2f +P=%.2f", sensitivity(), positivePredictivity());
        }
    }

    /** Names of the records in {@code dir} that have both a header and an {@code .atr} file, sorted. */
    public static List<String> annotatedRecords(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".atr"))
                    .map(f -> f.substring(0, f.length() - 4))
                    .filter(r -> Files.isRegularFile(dir.resolve(r + ".hea")))
                    .sorted()
                    .toList();
        }
    }

    /**
     * True when the reference beats are mostly paced: at least half of them are paced ({@code /})
     * or fusions of paced and normal beats ({@code f}). AAMI EC57 reports such records apart.
     */
    public static boolean isPaced(List<Annotation> annotations) {
        int beats = 0;
        int paced = 0;
        for (Annotation a : annotations) {
            if (a.isBeat()) {
                beats++;
                String s = AnnotationCodes.symbol(a.code());
                if (s.equals("/") || s.equals("f")) {
                    paced++;
                }
            }
        }
        return beats > 0 && 2 * paced >= beats;
    }

    /**
     * Indexes of the leads named in {@code wanted} (case-insensitive, in record order); empty when
     * {@code wanted} names none of the record's leads.
     */
    public static int[] selectLeads(List<String> names, List<String> wanted) {
        int[] picked = new int[names.size()];
        int k = 0;
        for (int i = 0; i < names.size(); i++) {
            for (String w : wanted) {
                if (names.get(i).equalsIgnoreCase(w.strip())) {
                    picked[k++] = i;
                    break;
                }
            }
        }
        return Arrays.copyOf(picked, k);
    }

    /**
     * Runs a fresh detector over {@code signals} (one array per lead), {@code chunk} samples per
     * call, and flushes it at the end of the record.
     */
    public static Detection detect(float[][] signals, double fs, QrsDetector.Settings settings, int chunk) {
        QrsDetector detector = new QrsDetector(fs, signals.length, settings);
        LongList out = new LongList();
        LongList delays = new LongList();
        BeatSink sink = (sample, decidedAt) -> {
            out.add(sample);
            delays.add(decidedAt - sample);
        };
        int len = signals.length == 0 ? 0 : signals[0].length;
        for (int from = 0; from < len; from += chunk) {
            detector.process(signals, from, Math.min(len, from + chunk), sink);
        }
        detector.flush(sink);
        long[] beats = out.toArray();
        int keep = beats.length;
        while (keep > 0 && beats[keep - 1] >= len) {
            keep--;
        }
        return new Detection(Arrays.copyOf(beats, keep), Arrays.copyOf(delays.toArray(), keep));
    }

    /** Detects and scores one record of {@code dir} with the default chunk size. */
    public static RecordResult evaluate(Path dir, String record, List<String> wantedLeads,
            QrsDetector.Settings settings) throws IOException {
        return evaluate(dir, record, wantedLeads, settings, DEFAULT_CHUNK);
    }

    /** Detects and scores one record of {@code dir}. */
    public static RecordResult evaluate(Path dir, String record, List<String> wantedLeads,
            QrsDetector.Settings settings, int chunk) throws IOException {
        WfdbRecord rec = WfdbRecord.read(dir.resolve(record + ".hea"));
        List<Annotation> reference = AnnotationReader.read(dir.resolve(record), "atr");
        List<String> names = rec.signalNames();
        int[] idx = wantedLeads == null || wantedLeads.isEmpty() ? new int[0] : selectLeads(names, wantedLeads);
        boolean matched = idx.length > 0 || wantedLeads == null || wantedLeads.isEmpty();
        if (idx.length == 0) {
            idx = new int[names.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
        }
        float[][] signals = new float[idx.length][];
        List<String> used = new ArrayList<>();
        for (int k = 0; k < idx.length; k++) {
            signals[k] = rec.millivolts(idx[k]);
            used.add(names.get(idx[k]));
        }
        Detection d = detect(signals, rec.samplingFrequency(), settings, chunk);
        BeatMatch m = BeatMatcher.match(reference, d.beats(), rec.samplingFrequency(), rec.length());
        return new RecordResult(record, used, matched, rec.samplingFrequency(), isPaced(reference), m, d.beats(),
                d.delays());
    }

    /** Evaluates several records on up to {@code threads} threads; results in the order of {@code records}. */
    public static List<RecordResult> evaluateAll(Path dir, List<String> records, List<String> wantedLeads,
            QrsDetector.Settings settings, int chunk, int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, records.size())), r -> {
            Thread t = new Thread(r, "qrs-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RecordResult>> futures = new ArrayList<>();
            for (String r : records) {
                futures.add(pool.submit(() -> evaluate(dir, r, wantedLeads, settings, chunk)));
            }
            List<RecordResult> out = new ArrayList<>();
            for (Future<RecordResult> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Threads for evaluating records in parallel: the available processors, at most 4. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** Writes beats as a WFDB annotation file: one normal-beat ({@code N}) annotation per beat. */
    public static void writeBeats(Path file, long[] beats) throws IOException {
        List<Annotation> anns = new ArrayList<>(beats.length);
        for (long b : beats) {
            anns.add(new Annotation(b, AnnotationCodes.NORMAL, 0, 0, 0, ""));
        }
        AnnotationWriter.write(file, anns);
    }

    /** One table row: record, reference beats, TP, FN, FP, Se, +P. */
    public static String row(RecordResult r) {
        BeatMatch m = r.match();
        return String.format(Locale.ROOT, "%-8s %7d %7d %5d %5d %7.2f %7.2f",
                r.record(), m.referenceBeats(), m.truePositives(), m.fn(), m.fp(),
                m.sensitivity(), m.positivePredictivity());
    }

    /** Growable primitive list, so collecting beats does not box. */
    static final class LongList {
        private long[] a = new long[1024];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
