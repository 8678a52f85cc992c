package io.ecgsentinel.simulator;

import picocli.CommandLine.Option;

/** Pacing, fault and progress options shared by {@code simulate} and {@code replay}. */
public final class PacingOptions {

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "Event time per wall time: 1 = real time, 10 = ten times faster (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--frame-ms", paramLabel = "MS", defaultValue = "100",
            description = "Frame length in ms of event time, 40-250 (default ${DEFAULT-VALUE}).")
    int frameMillis;

    @Option(names = "--threads", paramLabel = "N", description = "Generator threads (default: cores, at most 4).")
    Integer threads;

    @Option(names = "--progress", paramLabel = "SECONDS", defaultValue = "5",
            description = "Progress line on stderr every SECONDS; 0 = off (default ${DEFAULT-VALUE}).")
    double progressSeconds;

    @Option(names = "--jitter-ms", paramLabel = "MS", defaultValue = "0",
            description = "Fault: each frame leaves up to MS late (uniform).")
    double jitterMillis;

    @Option(names = "--reorder", paramLabel = "P", defaultValue = "0",
            description = "Fault: probability that a frame is sent after its successor.")
    double reorder;

    @Option(names = "--duplicate", paramLabel = "P", defaultValue = "0",
            description = "Fault: probability that a frame is sent twice.")
    double duplicate;

    @Option(names = "--drop", paramLabel = "P", defaultValue = "0",
            description = "Fault: probability that a frame is not sent (its sequence number is skipped).")
    double drop;

    @Option(names = "--fault-seed", paramLabel = "N", defaultValue = "1", description = "Seed of the fault decisions.")
    long faultSeed;

    Faults faults() {
        return new Faults(jitterMillis, reorder, duplicate, drop, faultSeed);
    }
}
