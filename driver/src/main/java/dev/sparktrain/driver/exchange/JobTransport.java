package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundSession;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One Spark job per round: the plan goes out as a broadcast, results come back as task results. Each round is its own
 * unit of fault tolerance: Spark re-runs a lost task anywhere, on whatever executors are left. The workers' carries
 * stay on the driver and travel with every round. Under the {@code tree} exchange the results are summed on the
 * executors ({@link ShuffledReduction}); the plan reaches them through Spark's torrent broadcast either way.
 */
final class JobTransport implements SparkTransport {

    private final JavaSparkContext sc;
    private final ExchangeTopology topology;

    JobTransport(JavaSparkContext sc, ExchangeTopology topology) {
        this.sc = sc;
        this.topology = topology;
    }

    @Override
    public RoundSession open(CachedBlocks data, Map<Integer, InnerState> carries) {
        return new JobSession(sc, data, carries, topology);
    }
}
