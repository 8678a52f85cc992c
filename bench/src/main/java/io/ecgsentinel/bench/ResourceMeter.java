package io.ecgsentinel.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the process uses: CPU time (whole process, and per group of Java threads), heap, direct
 * buffers and resident memory. Everything runs in one JVM (broker, simulator, job), so these are
 * figures of the whole embedded setup; the thread groups split the CPU between its parts. CPU of
 * threads the JVM does not know (TensorFlow's own pools, GC, JIT) is the remainder.
 */
final class ResourceMeter {

    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)(#\\d+)?$");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);

    long maxHeapUsed;
    long maxHeapCommitted;
    long maxDirect;
    long maxRss;

    ResourceMeter() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    /**
     * CPU time so far: the whole process, per thread id (with its group), and of the JVM's own
     * threads that the thread MXBean does not list, by group ({@link #jvmInternalCpu}).
     */
    record CpuSnapshot(long wallNanos, long processCpuNanos, Map<Long, Long> threadCpu, Map<Long, String> groups,
            Map<String, Long> internal) {}

    CpuSnapshot cpu() {
        long wall = System.nanoTime();
        long proc = processCpuNanos();
        Map<Long, Long> t = new HashMap<>();
        Map<Long, String> g = new HashMap<>();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long c = threads.getThreadCpuTime(ids[i]);
            if (c >= 0) {
                t.put(ids[i], c);
                g.put(ids[i], group(infos[i].getThreadName()));
            }
        }
        return new CpuSnapshot(wall, proc, t, g, jvmInternalCpu());
    }

    /** Cores used between two snapshots, per group, plus "total" and "native+gc+jit (incl. TensorFlow)". */
    static Map<String, Double> cores(CpuSnapshot a, CpuSnapshot b) {
        double wall = b.wallNanos() - a.wallNanos();
        Map<String, Double> out = new LinkedHashMap<>();
        double total = (b.processCpuNanos() - a.processCpuNanos()) / wall;
        out.put("total", total);
        Map<String, Double> byGroup = new HashMap<>();
        double known = 0;
        for (Map.Entry<Long, Long> e : b.threadCpu().entrySet()) {
            long before = a.threadCpu().getOrDefault(e.getKey(), 0L);
            double c = (e.getValue() - before) / wall;
            byGroup.merge(b.groups().get(e.getKey()), c, Double::sum);
            known += c;
        }
        byGroup.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, Long> e : b.internal().entrySet()) {
            // a compiler thread that ended between the snapshots takes its time with it: never below 0
            double c = Math.max(0, e.getValue() - a.internal().getOrDefault(e.getKey(), 0L)) / wall;
            out.put(e.getKey(), c);
            known += c;
        }
        out.put(NATIVE, Math.max(0, total - known));
        return out;
    }

    /** The CPU no Java thread or listed JVM thread accounts for: TensorFlow's own pools, mostly. */
    static final String NATIVE = "native (TensorFlow pools, other non-Java threads)";
    static final String JIT = "JVM: JIT compilers";
    static final String GC = "JVM: garbage collector";

    /**
     * CPU nanoseconds of the JVM's compiler and GC threads, which {@link ThreadMXBean} hides, read
     * from {@code /proc/self/task} (Linux; an empty map elsewhere). A JIT still compiling during a
     * measurement (on a slow machine, minutes after start-up) shows up here rather than as native.
     * Clock ticks are taken as 1/100 s, the USER_HZ of every Linux this runs on.
     */
    static Map<String, Long> jvmInternalCpu() {
        Map<String, Long> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (var dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                String comm;
                String stat;
                try {
                    comm = Files.readString(t.resolve("comm")).trim();
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended while the directory was read: it has no time to add
                }
                String g = comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre") ? JIT
                        : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? GC : null;
                if (g == null) {
                    continue;
                }
                // fields after the parenthesised name: state is field 3, utime 14 and stime 15
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                out.merge(g, ticks * 10_000_000L, Long::sum);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + tasks, e);
        }
        return out;
    }

    /** Samples memory and keeps the maxima. */
    void sampleMemory() {
        var heap = memory.getHeapMemoryUsage();
        maxHeapUsed = Math.max(maxHeapUsed, heap.getUsed());
        maxHeapCommitted = Math.max(maxHeapCommitted, heap.getCommitted());
        if (direct != null) {
            maxDirect = Math.max(maxDirect, direct.getMemoryUsed());
        }
        maxRss = Math.max(maxRss, rssBytes());
    }

    void resetMaxima() {
        maxHeapUsed = 0;
        maxHeapCommitted = 0;
        maxDirect = 0;
        maxRss = 0;
    }

    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Resident set size from /proc/self/status (Linux), or -1. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] p = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(p[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The part of the setup a thread belongs to, from its name. */
    static String group(String name) {
        String n = name == null ? "" : name;
        if (n.startsWith("sim-worker")) {
            return "simulator (generate+encode+send)";
        }
        if (n.startsWith("kafka-producer-network-thread")) {
            return n.contains("ecg-device-simulator") ? "simulator producer I/O" : "job Kafka producers I/O";
        }
        if (n.startsWith("Source Data Fetcher") || n.startsWith("Kafka Fetcher")) {
            return "job Kafka source fetcher";
        }
        if (SUBTASK.matcher(n).find()) {
            String op = SUBTASK.matcher(n).replaceAll("");
            return "job: " + op;
        }
        String l = n.toLowerCase();
        if (l.contains("kafka") || l.startsWith("data-plane") || l.startsWith("broker") || l.startsWith("controller")
                || l.contains("raft") || l.contains("quorum") || l.contains("expirationreaper")
                || l.contains("logcleaner") || l.contains("log-") || l.contains("transaction")
                || l.contains("group-coordinator") || l.contains("share-") || l.contains("replica")
                || l.contains("metadata") || l.contains("fetcher")) {
            return "Kafka broker";
        }
        if (l.startsWith("bench-")) {
            return "bench (results reader, samplers)";
        }
        if (l.contains("flink") || l.contains("pekko") || l.contains("akka") || l.contains("checkpoint")
                || l.contains("jobmanager") || l.contains("taskmanager") || l.contains("mini-cluster")
                || l.contains("netty") || l.contains("output flusher") || l.contains("time trigger")
                || l.contains("async")) {
            return "Flink runtime (other)";
        }
        return "other JVM threads";
    }

    /** The n largest groups (the native remainder among them, where its size puts it), largest first. */
    static List<String> describeTop(Map<String, Double> cores, int n) {
        return cores.entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(n)
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).toList();
    }
}
