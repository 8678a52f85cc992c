package io.ecgsentinel.bench;

import io.ecgsentinel.core.dsp.MultiLeadPreprocessor;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.quality.BandPowerStream;
import io.ecgsentinel.core.quality.SignalQuality;
import io.ecgsentinel.core.qrs.QrsDetector;
import io.ecgsentinel.flink.functions.DecodeAndValidate;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.RawFrame;
import io.ecgsentinel.kafka.KafkaEndpoint;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindows;
import io.ecgsentinel.models.serve.EcgModel;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.simulator.ProducerSettings;
import io.ecgsentinel.simulator.SyntheticPatient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceilings the pipeline is measured against, each one part of the pipeline alone on the same
 * machine and in the same JVM: the model (same DJL wrapper, same batch size, no Flink), Kafka (the
 * same frames through the same broker with the simulator's producer settings), and decoding plus
 * signal processing (the job's decode-and-validate step, ecg-core's QRS detector and the model's
 * preprocessing chain, one thread, no Flink).
 */
final class Ceilings {

    private Ceilings() {}

    /**
     * Model-only: beat windows per second with {@code threads} callers, each with its own scorer, and
     * the process CPU time per window over the same interval (TensorFlow's own pools included), or
     * NaN where the JVM does not report process CPU time.
     */
    record Model(int batch, int threads, double windowsPerSecond, double msPerBatch, double cpuMsPerWindow) {}

    /**
     * Kafka-only: frames through the broker, produced and consumed at the same time, and the process
     * CPU time per frame from the first send to the last receive: producer, broker and consumer, what
     * the pipeline's simulator, broker and job source pay for each frame (NaN where not reported).
     */
    record Kafka(long sent, long received, double producedPerSecond, double consumedPerSecond, int frameBytes,
            double cpuMsPerFrame) {}

    /** Decode + signal processing on one thread. */
    record Dsp(double decodeFramesPerSecond, double preprocessPatientSecondsPerSecond,
            double qrsPatientSecondsPerSecond, double qualityWindowsPerSecond, double qualityIntervalSeconds,
            double patientsPerCore) {}

    static Model model(EcgModel model, int batch, int threads, double seconds) throws InterruptedException {
        LongAdder windows = new LongAdder();
        LongAdder calls = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        long[] window = new long[2];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads + 1);
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                try (EcgModel.Scorer s = model.newScorer()) {
                    BeatWindows w = randomBatch(batch, seed);
                    for (int i = 0; i < 3; i++) {
                        s.score(w); // warm-up
                    }
                    start.await();
                    while (stop.getCount() > 0) {
                        s.score(w);
                        windows.add(batch);
                        calls.increment();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "bench-model-" + t);
            th.start();
            ts.add(th);
        }
        try {
            start.await();
        } catch (java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException("model ceiling failed", failure.get());
        }
        window[0] = System.nanoTime();
        long cpu0 = ResourceMeter.processCpuNanos();
        long w0 = windows.sum();
        long c0 = calls.sum();
        Thread.sleep((long) (seconds * 1000));
        long w1 = windows.sum();
        long c1 = calls.sum();
        long cpu1 = ResourceMeter.processCpuNanos();
        window[1] = System.nanoTime();
        stop.countDown();
        for (Thread th : ts) {
            th.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("model ceiling failed: " + failure.get().getMessage(), failure.get());
        }
        double el = (window[1] - window[0]) / 1e9;
        double n = c1 - c0;
        return new Model(batch, threads, (w1 - w0) / el, n == 0 ? Double.NaN : 1000.0 * el * threads / n,
                cpuMsPer(cpu0, cpu1, w1 - w0));
    }

    static BeatWindows randomBatch(int batch, long seed) {
        Random rnd = new Random(seed);
        BeatWindows w = new BeatWindows(batch);
        w.size = batch;
        for (int i = 0; i < w.ecg.length; i++) {
            w.ecg[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < ModelSpec.N_LEADS; k++) {
                w.mask[i * ModelSpec.N_LEADS + k] = 1;
            }
            for (int k = 0; k < ModelSpec.RR_FEATURES; k++) {
                w.rr[i * ModelSpec.RR_FEATURES + k] = 0.8f + 0.1f * (float) rnd.nextGaussian();
            }
        }
        return w;
    }

    /** Produces frames for {@code seconds} as fast as the producer takes them while a consumer reads them. */
    static Kafka kafka(KafkaEndpoint kafka, String topic, int partitions, long seed, double seconds)
            throws InterruptedException {
        kafka.createTopic(topic, partitions);
        int patients = 64;
        List<byte[]> values = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        long t0 = System.currentTimeMillis() * 1000;
        for (int p = 0; p < patients; p++) {
            byte[] key = SyntheticPatient.patientIdOf(seed, p).getBytes(StandardCharsets.UTF_8);
            for (byte[] v : BenchFrames.encodedFrames(seed, p, 20, t0)) {
                keys.add(key);
                values.add(v);
            }
        }
        Properties pp = ProducerSettings.resolve(kafka.bootstrapServers(), null, Map.of());
        pp.put("client.id", "bench-kafka-ceiling");
        pp.put("key.serializer", ByteArraySerializer.class.getName());
        pp.put("value.serializer", ByteArraySerializer.class.getName());
        Properties cp = kafka.consumerProperties("bench-kafka-ceiling");
        cp.put("isolation.level", "read_uncommitted");
        cp.put("max.poll.records", "2000");
        AtomicLong received = new AtomicLong();
        AtomicLong lastReceiveNanos = new AtomicLong();
        AtomicLong target = new AtomicLong(Long.MAX_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                c.subscribe(List.of(topic));
                long idleSince = System.nanoTime();
                while (received.get() < target.get()) {
                    ConsumerRecords<byte[], byte[]> r = c.poll(Duration.ofMillis(100));
                    if (!r.isEmpty()) {
                        received.addAndGet(r.count());
                        lastReceiveNanos.set(System.nanoTime());
                        idleSince = System.nanoTime();
                    } else if (target.get() != Long.MAX_VALUE && System.nanoTime() - idleSince > 30e9) {
                        break; // everything was sent 30 s ago and nothing more arrives
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "bench-kafka-consumer");
        consumer.start();
        Thread.sleep(1000); // group join
        long sent = 0;
        long cpu0 = ResourceMeter.processCpuNanos();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long flushed;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(pp)) {
            int n = values.size();
            while (System.nanoTime() < end) {
                for (int i = 0; i < 256; i++, sent++) {
                    int k = (int) (sent % n);
                    p.send(new ProducerRecord<>(topic, keys.get(k), values.get(k)));
                }
            }
            p.flush();
            flushed = System.nanoTime();
        }
        target.set(sent);
        consumer.join(60_000);
        long cpu1 = ResourceMeter.processCpuNanos();
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka ceiling consumer failed: " + failure.get().getMessage(), failure.get());
        }
        long got = received.get();
        double produceSeconds = (flushed - start) / 1e9;
        double consumeSeconds = (lastReceiveNanos.get() - start) / 1e9;
        return new Kafka(sent, got, sent / produceSeconds, consumeSeconds > 0 ? got / consumeSeconds : 0,
                values.get(0).length, cpuMsPer(cpu0, cpu1, sent));
    }

    /** Process CPU milliseconds between two {@link ResourceMeter#processCpuNanos()} readings per item. */
    private static double cpuMsPer(long cpu0, long cpu1, long items) {
        return cpu0 < 0 || cpu1 < 0 || items <= 0 ? Double.NaN : (cpu1 - cpu0) / 1e6 / items;
    }

    /**
     * One thread: the job's decode+validate, and per patient-second of 12-lead signal what the analyzer
     * runs for it: the model's streaming preprocessing of one hop, the QRS detector over one hop, and
     * the signal quality of a 10 s window every {@code qualityIntervalSeconds} (the job's
     * {@code quality.interval.seconds}: one verdict per interval, not per hop), with the analyzer's
     * drift memos and running band-power streams.
     */
    static Dsp dsp(Map<String, String> preprocessing, long seed, double seconds, double qualityIntervalSeconds) {
        // decode + validate (the job's first operator, without Flink)
        List<byte[]> encoded = BenchFrames.encodedFrames(seed, 0, 200, System.currentTimeMillis() * 1000);
        List<RawFrame> raw = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            raw.add(new RawFrame("t", 0, i, 0L, encoded.get(i)));
        }
        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        DecodeAndValidate.Rejection fail = (r, m) -> {
            throw new IllegalStateException("bench frame rejected: " + r + " " + m);
        };
        double part = seconds / 4;
        long sink = 0;
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (part * 1e9);
        while (System.nanoTime() < end) {
            for (RawFrame r : raw) {
                Frame f = DecodeAndValidate.decode(r, serde, fail);
                sink += f.length();
            }
            n += raw.size();
        }
        double decodeRate = n / ((System.nanoTime() - t0) / 1e9);

        // the model's preprocessing chain, one patient's chain fed one hop (1 s) at a time as the analyzer does
        PreprocessingConfig cfg = PreprocessingConfig.fromMap(preprocessing).withInputFs(BenchFrames.SAMPLE_RATE);
        float[][] stream = BenchFrames.signal(seed, 1, 60);
        long preSamples = 0;
        t0 = System.nanoTime();
        end = t0 + (long) (part * 1e9);
        while (System.nanoTime() < end) {
            MultiLeadPreprocessor pre = new MultiLeadPreprocessor(cfg, stream.length);
            float[][] out = new float[stream.length][pre.maxOutput(BenchFrames.SAMPLE_RATE)];
            for (int from = 0; from < stream[0].length && System.nanoTime() < end; from += BenchFrames.SAMPLE_RATE) {
                sink += pre.process(stream, from, BenchFrames.SAMPLE_RATE, out, 0);
                preSamples += BenchFrames.SAMPLE_RATE;
            }
        }
        double prePatientSeconds = preSamples / (double) BenchFrames.SAMPLE_RATE / ((System.nanoTime() - t0) / 1e9);

        // signal quality of every lead over the newest 10 s, as the analyzer takes it: one verdict per
        // qualityIntervalSeconds of one patient's stream, each lead with its drift memo and its running
        // band-power stream, so a verdict filters only the samples new since the last one (the
        // analyzer's largest cost). Each pass over the 2 minutes of signal starts new streams, as a
        // new patient would: its first verdict filters the whole window (1 verdict in 56 at 2 s).
        int fs = BenchFrames.SAMPLE_RATE;
        int window = 10 * fs;
        int step = (int) Math.max(1, Math.round(qualityIntervalSeconds * fs));
        float[][] patient = BenchFrames.signal(seed, 3, 120);
        SignalQuality sq = new SignalQuality(fs);
        n = 0;
        t0 = System.nanoTime();
        end = t0 + (long) (part * 1e9);
        while (System.nanoTime() < end) {
            SignalQuality.DriftMemo[] memo = new SignalQuality.DriftMemo[patient.length];
            BandPowerStream[] band = new BandPowerStream[patient.length];
            for (int k = 0; k < patient.length; k++) {
                memo[k] = new SignalQuality.DriftMemo();
                band[k] = new BandPowerStream();
            }
            for (int s = 0; s + window <= patient[0].length && System.nanoTime() < end; s += step) {
                for (int k = 0; k < patient.length; k++) {
                    sink += sq.assess(patient[k], s, window, false, Double.NaN, Double.NaN, s, memo[k], band[k])
                            .usable() ? 1 : 0;
                }
                n++;
            }
        }
        double qualityRate = n / ((System.nanoTime() - t0) / 1e9);

        // the streaming QRS detector, fed one hop (1 s) at a time as the analyzer does
        float[][] signal = BenchFrames.signal(seed, 2, 60);
        long[] beats = new long[1];
        long samples = 0;
        t0 = System.nanoTime();
        end = t0 + (long) (part * 1e9);
        while (System.nanoTime() < end) {
            QrsDetector d = new QrsDetector(BenchFrames.SAMPLE_RATE, signal.length);
            for (int from = 0; from < signal[0].length && System.nanoTime() < end; from += BenchFrames.SAMPLE_RATE) {
                d.process(signal, from, from + BenchFrames.SAMPLE_RATE, (s, dec) -> beats[0]++);
                samples += BenchFrames.SAMPLE_RATE;
            }
        }
        double qrsPatientSeconds = samples / (double) BenchFrames.SAMPLE_RATE / ((System.nanoTime() - t0) / 1e9);
        if (sink == 42 && beats[0] == -1) {
            System.out.print(""); // keep the results alive
        }
        double perPatientSecond = 10.0 / decodeRate + 1.0 / prePatientSeconds + 1.0 / qrsPatientSeconds
                + 1.0 / (qualityRate * qualityIntervalSeconds);
        return new Dsp(decodeRate, prePatientSeconds, qrsPatientSeconds, qualityRate, qualityIntervalSeconds,
                1.0 / perPatientSecond);
    }

}
