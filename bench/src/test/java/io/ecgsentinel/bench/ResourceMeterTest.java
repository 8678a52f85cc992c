package io.ecgsentinel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ResourceMeterTest {

    @Test
    void theJitCompilersTimeIsReadFromProcAndTakenOutOfTheNativeRemainder() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc only");
        ResourceMeter meter = new ResourceMeter();
        ResourceMeter.CpuSnapshot a = meter.cpu();
        // work the JIT has to compile, for at least a second: thread times come from /proc in
        // 10 ms ticks and are read a moment after the process time, so a short interval would
        // make the sum check below depend on rounding
        long sink = 0;
        long until = System.nanoTime() + 1_000_000_000L;
        for (int round = 0; round < 200 || System.nanoTime() < until; round++) {
            for (int i = 0; i < 20_000; i++) {
                sink += Long.rotateLeft(i * 0x9E3779B97F4A7C15L + round, round & 63) % 1_000_003;
            }
        }
        ResourceMeter.CpuSnapshot b = meter.cpu();
        assertThat(sink).isNotZero();
        assertThat(b.internal()).containsKey(ResourceMeter.JIT);
        assertThat(b.internal().get(ResourceMeter.JIT)).isPositive();
        Map<String, Double> cores = ResourceMeter.cores(a, b);
        assertThat(cores).containsKeys(ResourceMeter.JIT, ResourceMeter.NATIVE, "total");
        double measured = cores.entrySet().stream()
                .filter(e -> !e.getKey().equals("total") && !e.getKey().equals(ResourceMeter.NATIVE))
                .mapToDouble(Map.Entry::getValue).sum();
        // the threads' own times never add up to more than the process used (up to the ticks and
        // the moment between the readings: 0.1 cores over a second)
        assertThat(measured).isLessThanOrEqualTo(cores.get("total") + 0.1);
    }
}
