package io.ecgsentinel.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The bench's table (console, CSV, Markdown), its plot, and the last line. */
final class Report {

    static final String[] COLUMNS = {"patients", "frames/s", "samples/s", "realtime", "lag_s", "p50_ms", "p95_ms",
        "p99_ms", "model_win/s", "cpu_cores", "heap_MB", "direct_MB", "rss_MB", "state_KB/pt", "ckpt_ms", "sim_p99_ms"};

    final List<PipelineRun.Result> steps;
    final Ceilings.Model model1;
    final Ceilings.Model modelP;
    final Ceilings.Kafka kafka;
    final Ceilings.Dsp dsp;
    final List<String> setup;

    Report(List<PipelineRun.Result> steps, Ceilings.Model model1, Ceilings.Model modelP, Ceilings.Kafka kafka,
            Ceilings.Dsp dsp, List<String> setup) {
        this.steps = steps;
        this.model1 = model1;
        this.modelP = modelP;
        this.kafka = kafka;
        this.dsp = dsp;
        this.setup = setup;
    }

    /** The largest N that kept up (steps run in increasing N and stop at the first that falls behind). */
    PipelineRun.Result maxRealtime() {
        PipelineRun.Result best = null;
        for (PipelineRun.Result r : steps) {
            if (r.keptUp() && (best == null || r.patients() > best.patients())) {
                best = r;
            }
        }
        return best;
    }

    double ceilingRatio() {
        PipelineRun.Result best = maxRealtime();
        if (best == null || modelP == null || !(modelP.windowsPerSecond() > 0)) {
            return 0;
        }
        return best.modelWindowsPerSecond() / modelP.windowsPerSecond();
    }

    /**
     * What one patient-second costs in CPU by the ceilings' own measurements, summed: the signal
     * processing ({@link Ceilings.Dsp#patientsPerCore()}), the model (the beat windows per patient-second
     * the pipeline scored at its largest real-time step, times the model-only run's process CPU per
     * window with the job's parallelism) and Kafka (frames per patient-second times the Kafka-only
     * run's process CPU per frame produced, stored and consumed). The parts are each measured alone,
     * without Flink, checkpoints or the simulator's signal generation, so the patients they fit on the
     * machine's cores are an upper bound for the pipeline, which {@code pipelineMs} (its measured CPU
     * per patient-second at that step) is compared with.
     *
     * @param dspMs signal processing CPU ms per patient-second
     * @param windowsPerPatientSecond beat windows the pipeline scored per patient-second
     * @param modelCpuMsPerWindow process CPU ms per model window
     * @param framesPerPatientSecond frames each patient sends per second
     * @param kafkaCpuMsPerFrame process CPU ms per frame through Kafka
     * @param cores the machine's cores
     * @param atPatients the pipeline step the window rate and {@code pipelineMs} come from
     * @param pipelineMs the pipeline's process CPU ms per patient-second at that step
     */
    record Budget(double dspMs, double windowsPerPatientSecond, double modelCpuMsPerWindow,
            double framesPerPatientSecond, double kafkaCpuMsPerFrame, int cores, int atPatients, double pipelineMs) {

        static Budget of(Ceilings.Dsp dsp, Ceilings.Model model, Ceilings.Kafka kafka, PipelineRun.Result step,
                double framesPerPatientSecond, int cores) {
            double wpps = step.modelWindowsPerSecond() / step.patients();
            return new Budget(1000.0 / dsp.patientsPerCore(), wpps, model.cpuMsPerWindow(), framesPerPatientSecond,
                    kafka.cpuMsPerFrame(), cores, step.patients(), 1000.0 * step.cpuCores() / step.patients());
        }

        /** Model CPU ms per patient-second. */
        double modelMs() {
            return windowsPerPatientSecond * modelCpuMsPerWindow;
        }

        /** Kafka CPU ms per patient-second. */
        double kafkaMs() {
            return framesPerPatientSecond * kafkaCpuMsPerFrame;
        }

        double totalMs() {
            return dspMs + modelMs() + kafkaMs();
        }

        /** Patients the ceilings' parts alone fit on {@link #cores}: an upper bound for the pipeline. */
        double patientsBound() {
            return 1000.0 * cores / totalMs();
        }

        String line() {
            return String.format(Locale.ROOT, "CPU per patient-second from the ceilings: signal processing %.3f ms,"
                    + " model %.3f ms (%.2f beat windows per patient-second, as the pipeline scored them at %d"
                    + " patients, x %.3f ms per window), Kafka %.3f ms (%.0f frames x %.4f ms produced, stored and"
                    + " consumed) = %.3f ms: these parts alone fit at most %.0f patients on %d cores, before Flink,"
                    + " checkpoints and the simulator; the whole pipeline took %.3f ms per patient-second at %d patients",
                    dspMs, modelMs(), windowsPerPatientSecond, atPatients, modelCpuMsPerWindow, kafkaMs(),
                    framesPerPatientSecond, kafkaCpuMsPerFrame, totalMs(), patientsBound(), cores, pipelineMs,
                    atPatients);
        }
    }

    /** The budget at the largest real-time step, or null when a ceiling or such a step is missing. */
    Budget budget() {
        PipelineRun.Result best = maxRealtime();
        if (best == null || dsp == null || modelP == null || kafka == null || !(best.modelWindowsPerSecond() > 0)
                || Double.isNaN(modelP.cpuMsPerWindow()) || Double.isNaN(kafka.cpuMsPerFrame())) {
            return null;
        }
        return Budget.of(dsp, modelP, kafka, best, 1000.0 / BenchFrames.FRAME_MILLIS,
                Runtime.getRuntime().availableProcessors());
    }

    String lastLine() {
        PipelineRun.Result best = maxRealtime();
        return String.format(Locale.ROOT, "MAX_REALTIME_PATIENTS=%d P99_MS=%s CEILING_RATIO=%.3f",
                best == null ? 0 : best.patients(), best == null ? "NaN" : fmt0(best.p99Ms()), ceilingRatio());
    }

    static String[] row(PipelineRun.Result r) {
        return new String[] {
            Integer.toString(r.patients()), fmt0(r.framesPerSecond()), fmt0(r.samplesPerSecond()),
            r.keptUp() ? "yes" : "NO", fmt1(r.lagSecondsEnd()), fmt0(r.p50Ms()), fmt0(r.p95Ms()), fmt0(r.p99Ms()),
            fmt0(r.modelWindowsPerSecond()), fmt2(r.cpuCores()), mb(r.heapUsedMax()), mb(r.directMax()),
            mb(r.rssMax()), fmt1(r.stateBytesPerPatient() / 1024), fmt0(r.checkpointMs()), fmt0(r.simPacingP99Ms())};
    }

    List<String> ceilingLines() {
        List<String> l = new ArrayList<>();
        if (model1 != null) {
            l.add(String.format(Locale.ROOT, "model-only (DJL, batch %d): %.0f windows/s with 1 thread, %.0f with %d"
                    + " threads (%.1f ms per batch per thread)", model1.batch(), model1.windowsPerSecond(),
                    modelP.windowsPerSecond(), modelP.threads(), modelP.msPerBatch())
                    + String.format(Locale.ROOT, "; process CPU %.3f ms per window with 1 thread, %.3f with %d",
                            model1.cpuMsPerWindow(), modelP.cpuMsPerWindow(), modelP.threads()));
        }
        if (kafka != null) {
            l.add(String.format(Locale.ROOT, "Kafka-only (%d-byte frames, simulator producer settings): produced %.0f"
                    + " frames/s, consumed %.0f frames/s at the same time; received %d of %d sent%s",
                    kafka.frameBytes(), kafka.producedPerSecond(), kafka.consumedPerSecond(), kafka.received(),
                    kafka.sent(), kafka.received() == kafka.sent() ? "" : " (MISMATCH)")
                    + String.format(Locale.ROOT, "; process CPU %.4f ms per frame", kafka.cpuMsPerFrame()));
        }
        if (dsp != null) {
            l.add(String.format(Locale.ROOT, "decode+preprocess-only (one thread): decode+validate %.0f frames/s,"
                    + " per 1 s hop of 12 leads: model preprocessing %.0f patient-s/s, QRS detector %.0f patient-s/s,"
                    + " signal quality of the 10 s window %.0f windows/s (the job takes one every %s s);"
                    + " together %.0f patients per core",
                    dsp.decodeFramesPerSecond(), dsp.preprocessPatientSecondsPerSecond(),
                    dsp.qrsPatientSecondsPerSecond(), dsp.qualityWindowsPerSecond(),
                    fmtSeconds(dsp.qualityIntervalSeconds()), dsp.patientsPerCore()));
        }
        Budget b = budget();
        if (b != null) {
            l.add(b.line());
        }
        return l;
    }

    private static String fmtSeconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    List<String> footer() {
        List<String> f = new ArrayList<>();
        f.add("frames/s: frames the job consumed (its committed Kafka offsets) per second of the measurement;"
                + " samples/s = frames/s x " + BenchFrames.FRAME_SAMPLES + " samples x " + BenchFrames.LEADS + " leads.");
        f.add("realtime: the simulator sent >= 95% of the frames due, the job's consumer lag at the end is <="
                + " checkpoint interval + 5 s and not growing (< 0.05 s per s), and >= 90% of the windows ending in"
                + " the measurement produced a result before the drain ended. lag_s: consumer lag in seconds of input.");
        f.add("latency: from the wall time the frame holding a window's last sample was handed to the producer to the"
                + " wall time its result (one record per analysed and scored window, written EXACTLY_ONCE like the"
                + " alerts) was read by a read_committed consumer; windows ending in the measurement interval.");
        f.add("model_win/s: beat windows the job's LSTM scored per second (model inputs of windows ending in the"
                + " interval). cpu_cores: process CPU time / wall time (all parts share one JVM: broker, simulator, job)."
                + " heap_MB: max heap used; direct_MB: max direct buffers; rss_MB: max resident set (heap + native,"
                + " TensorFlow included). state_KB/pt: full size of the latest completed checkpoint / patients."
                + " ckpt_ms: mean end-to-end duration of the completed checkpoints of the step's job (its warm-up included) (its results become"
                + " readable only when a checkpoint completes, so this bounds the latency from below)."
                + " sim_p99_ms: p99 of how late the simulator sent frames against their schedule.");
        f.add("CEILING_RATIO = model_win/s of the pipeline at MAX_REALTIME_PATIENTS / model-only windows/s with as many"
                + " threads as the job's parallelism and the job's batch size.");
        return f;
    }

    void print(PrintStream o) {
        o.println();
        for (String s : setup) {
            o.println(s);
        }
        int[] w = new int[COLUMNS.length];
        List<String[]> rows = new ArrayList<>();
        for (PipelineRun.Result r : steps) {
            rows.add(row(r));
        }
        for (int i = 0; i < COLUMNS.length; i++) {
            w[i] = COLUMNS[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < COLUMNS.length; i++) {
            h.append(String.format(Locale.ROOT, "%" + w[i] + "s ", COLUMNS[i]));
        }
        o.println(h.toString().stripTrailing());
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(String.format(Locale.ROOT, "%" + w[i] + "s ", r[i]));
            }
            o.println(b.toString().stripTrailing());
        }
        for (PipelineRun.Result r : steps) {
            if (!r.keptUp()) {
                o.println("  " + r.patients() + " patients fell behind: " + r.verdict());
            }
        }
        for (PipelineRun.Result r : steps) {
            o.println("  cpu " + r.patients() + ": " + String.join(", ", ResourceMeter.describeTop(r.cpuGroups(), 8)));
        }
        o.println("ceilings:");
        for (String c : ceilingLines()) {
            o.println("  " + c);
        }
        for (String f : footer()) {
            o.println("  " + f);
        }
    }

    void write(Path dir, String stamp) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append(",verdict\n");
        for (PipelineRun.Result r : steps) {
            csv.append(String.join(",", row(r))).append(",\"").append(r.verdict().replace("\"", "'")).append("\"\n");
        }
        StringBuilder md = new StringBuilder("# ./ecg bench\n\n");
        for (String s : setup) {
            md.append(s).append("  \n");
        }
        md.append("\n|");
        for (String c : COLUMNS) {
            md.append(' ').append(c).append(" |");
        }
        md.append("\n|");
        for (int i = 0; i < COLUMNS.length; i++) {
            md.append(" ---: |");
        }
        md.append('\n');
        for (PipelineRun.Result r : steps) {
            md.append('|');
            for (String c : row(r)) {
                md.append(' ').append(c).append(" |");
            }
            md.append('\n');
        }
        md.append("\n");
        for (PipelineRun.Result r : steps) {
            if (!r.keptUp()) {
                md.append("- ").append(r.patients()).append(" patients fell behind: ").append(r.verdict()).append('\n');
            }
        }
        md.append("\n## CPU by part (cores)\n\n");
        for (PipelineRun.Result r : steps) {
            md.append("- ").append(r.patients()).append(" patients: ");
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Double> e : r.cpuGroups().entrySet()) {
                if (e.getValue() >= 0.005) {
                    parts.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()));
                }
            }
            md.append(String.join(", ", parts)).append('\n');
        }
        md.append("\n## Ceilings\n\n");
        for (String c : ceilingLines()) {
            md.append("- ").append(c).append('\n');
        }
        md.append("\n## Definitions\n\n");
        for (String f : footer()) {
            md.append("- ").append(f).append('\n');
        }
        md.append("\n`").append(lastLine()).append("`\n");
        for (String name : new String[] {"bench", "bench-" + stamp}) {
            Files.writeString(dir.resolve(name + ".csv"), csv, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(name + ".md"), md, StandardCharsets.UTF_8);
            plot(dir.resolve(name + ".png"));
        }
    }

    void plot(Path file) throws IOException {
        if (steps.isEmpty()) {
            return;
        }
        double[] x = steps.stream().mapToDouble(PipelineRun.Result::patients).toArray();
        // a log axis labels only its decades: with less than one decade of patient counts it shows none
        boolean logX = Arrays.stream(x).max().orElse(1) >= 10 * Arrays.stream(x).min().orElse(1);
        XYChart lat = new XYChartBuilder().width(640).height(420).title("ECG Sentinel bench: latency")
                .xAxisTitle("patients").yAxisTitle("ms (window end to read_committed result)").build();
        lat.getStyler().setXAxisLogarithmic(logX);
        lat.addSeries("p50", x, steps.stream().mapToDouble(r -> nz(r.p50Ms())).toArray()).setMarker(SeriesMarkers.CIRCLE);
        lat.addSeries("p95", x, steps.stream().mapToDouble(r -> nz(r.p95Ms())).toArray()).setMarker(SeriesMarkers.DIAMOND);
        lat.addSeries("p99", x, steps.stream().mapToDouble(r -> nz(r.p99Ms())).toArray()).setMarker(SeriesMarkers.SQUARE);
        XYChart thr = new XYChartBuilder().width(640).height(420).title("throughput and CPU")
                .xAxisTitle("patients").yAxisTitle("per second (log)").build();
        thr.getStyler().setXAxisLogarithmic(logX);
        thr.getStyler().setYAxisLogarithmic(true);
        thr.addSeries("frames/s consumed by the job", x, steps.stream().mapToDouble(r -> pos(r.framesPerSecond())).toArray());
        thr.addSeries("frames/s due (real time)", x, steps.stream().mapToDouble(r -> r.patients() * 10.0).toArray());
        thr.addSeries("model windows/s (job)", x, steps.stream().mapToDouble(r -> pos(r.modelWindowsPerSecond())).toArray());
        if (modelP != null) {
            double c = modelP.windowsPerSecond();
            thr.addSeries("model-only ceiling windows/s", x, steps.stream().mapToDouble(r -> c).toArray())
                    .setMarker(SeriesMarkers.NONE);
        }
        thr.addSeries("CPU cores x 1000", x, steps.stream().mapToDouble(r -> pos(r.cpuCores() * 1000)).toArray());
        BitmapEncoder.saveBitmap(List.of(lat, thr), 1, 2, file.toString().replaceFirst("\\.png$", ""),
                BitmapEncoder.BitmapFormat.PNG);
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static double pos(double v) {
        return Double.isNaN(v) || v <= 0 ? 1 : v;
    }

    static String fmt0(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmt1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt2(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String mb(long bytes) {
        return bytes <= 0 ? "-" : Long.toString(bytes / (1024 * 1024));
    }
}
