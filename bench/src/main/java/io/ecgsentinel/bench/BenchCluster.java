package io.ecgsentinel.bench;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * The one local Flink cluster (MiniCluster) of a bench run: the JIT warm-up and every step submit
 * their job to it. A MiniCluster per job, as {@code env.executeAsync} on a local environment makes,
 * loads Flink's RPC system (Pekko and Scala, about 1,800 classes) into a new class loader each time,
 * so the JIT compiled that code again in every step: on a slow machine the compiler threads still
 * took 0.3 cores in the measured interval. A long-running deployment starts its cluster once.
 */
final class BenchCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final int restPort;

    BenchCluster(int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        // a failure is a failed measurement: no restarts that would hide it
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        URI rest = cluster.getRestAddress().get(60, TimeUnit.SECONDS);
        restPort = rest.getPort();
    }

    /** Port of the cluster's REST API (job status, checkpoint statistics). */
    int restPort() {
        return restPort;
    }

    /** Submits the job built on {@code env} (a local environment used only to build the graph). */
    JobClient submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph plan = env.getStreamGraph();
        plan.setJobName(name);
        JobGraph graph = plan.getJobGraph();
        JobID id = cluster.submitJob(graph).get(120, TimeUnit.SECONDS).getJobID();
        return new MiniClusterJobClient(id, cluster, Thread.currentThread().getContextClassLoader(),
                MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(120, TimeUnit.SECONDS);
    }
}
