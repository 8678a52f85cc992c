package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.bench.BenchFrames;
import io.ecgsentinel.core.qrs.QrsDetector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The streaming QRS detector on 12 leads at 500 Hz, fed one hop (1 s) at a time as the job's analyzer
 * does, and the round trip of its state, by Java serialization and by the binary
 * {@code QrsDetector.writeTo}/{@code readFrom} the analyzer's state serializer uses (paid at each
 * checkpoint and copy-on-write with the heap backend, and per access with RocksDB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class QrsDetectorBench {

    private float[][] signal;
    private QrsDetector detector;
    private int pos;

    @Setup
    public void setUp() {
        signal = BenchFrames.signal(1, 0, 60);
        detector = new QrsDetector(BenchFrames.SAMPLE_RATE, signal.length);
        detector.process(signal, 0, 10 * BenchFrames.SAMPLE_RATE, (s, d) -> { });
        pos = 10 * BenchFrames.SAMPLE_RATE;
    }

    @Benchmark
    public void hop1s(Blackhole bh) {
        if (pos + BenchFrames.SAMPLE_RATE > signal[0].length) {
            pos = 0;
        }
        detector.process(signal, pos, pos + BenchFrames.SAMPLE_RATE, (s, d) -> bh.consume(s));
        pos += BenchFrames.SAMPLE_RATE;
    }

    @Benchmark
    public Object stateRoundTrip() throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(detector);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    @Benchmark
    public Object stateBinaryRoundTrip() throws IOException {
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(96 * 1024);
        detector.writeTo(out);
        return QrsDetector.readFrom(new org.apache.flink.core.memory.DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    }
}
