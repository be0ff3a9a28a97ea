package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.modes.LocalStepsTask;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundSession;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.SyncRoundTask;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.optim.Adam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The bytes through the driver's link per round, for the Fashion MLP's 235,146 parameters on 2, 4 and 8 workers:
 * under the star they grow with the workers, under the tree they do not; 16-bit pseudo-gradients halve what the star
 * receives. Over TCP, counted on the driver's connections ({@link SparkTransport#driverLinkBytes}); for one Spark job
 * per round, the task results Spark sends to the driver. Prints one {@code LINKBYTES} line per run, which
 * docs/performance.md records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriverLinkBytesTest {

    private static final int FEATURES = 784;
    private static final NetworkSpec MLP = new NetworkSpec(new Shape(FEATURES), List.of(new Dense(256, new Relu()),
            new Dense(128, new Relu()), new Dense(10, new Identity())), new SoftmaxCrossEntropy());
    private static final int ROUNDS = 3;
    private static final int BATCH = 8;
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension(Map.of("spark.master", "local[8]",
            ChannelTransport.IN_MEMORY, "false"));

    private CachedBlocks data(int workers) {
        List<DataBlock> blocks = new ArrayList<>();
        for (int p = 0; p < workers; p++) {
            blocks.add(TestBlocks.random(2 * BATCH * ROUNDS, FEATURES, 10, 1, p));
        }
        return CachedBlocks.cache(SPARK.sc().parallelize(blocks, workers), workers, FEATURES, "bytes" + workers);
    }

    private static Map<String, RoundTask> tasks() {
        Map<String, RoundTask> tasks = new LinkedHashMap<>();
        tasks.put("sync", new SyncRoundTask(MLP, 1, BATCH, false));
        tasks.put("average-float32", new LocalStepsTask(MLP, Adam.defaults(0.001), InnerStatePolicy.RESET, 1, 2,
                BATCH, false, WirePrecision.FLOAT32));
        tasks.put("average-bf16", new LocalStepsTask(MLP, Adam.defaults(0.001), InnerStatePolicy.RESET, 1, 2, BATCH,
                false, WirePrecision.BF16));
        return tasks;
    }

    /** Runs {@link #ROUNDS} rounds of {@code task} in one session; returns the driver's bytes per round. */
    private static LinkBytes perRound(SparkTransport transport, CachedBlocks data, RoundTask task,
                                      java.util.function.Supplier<LinkBytes> counter) {
        float[] params = MLP.initialParameters(1, DataType.FLOAT).toFloatVector();
        boolean carries = task instanceof LocalStepsTask local && local.carries();
        try (RoundSession session = transport.open(data, carries ? Map.of() : null)) {
            LinkBytes before = counter.get();
            for (int round = 0; round < ROUNDS; round++) {
                session.run(new RoundPlan(1, round, new ParameterSnapshot(round, params), null), task).release();
            }
            LinkBytes used = counter.get().minus(before);
            session.finish();
            return new LinkBytes(used.sent() / ROUNDS, used.received() / ROUNDS);
        } finally {
            transport.releaseWorkers();
        }
    }

    private static void print(String transport, ExchangeTopology topology, String task, int workers, LinkBytes b) {
        System.out.printf("LINKBYTES transport=%s exchange=%s task=%s workers=%d sent_per_round=%d "
                + "received_per_round=%d%n", transport, topology.configName(), task, workers, b.sent(), b.received());
    }

    @Test
    void overTcpTheTreesDriverBytesStayFlatWhileTheStarsGrowWithTheWorkers() {
        Map<String, LinkBytes> seen = new HashMap<>();
        for (int workers : new int[] {2, 4, 8}) {
            CachedBlocks data = data(workers);
            for (ExchangeTopology topology : ExchangeTopology.values()) {
                SparkTransport transport = SparkTransport.channel(SPARK.sc(), topology);
                for (Map.Entry<String, RoundTask> task : tasks().entrySet()) {
                    LinkBytes b = perRound(transport, data, task.getValue(), transport::driverLinkBytes);
                    print("channel-tcp", topology, task.getKey(), workers, b);
                    seen.put(topology + task.getKey() + workers, b);
                }
            }
            data.release();
        }
        long params = 4L * 235_146;
        for (String task : tasks().keySet()) {
            LinkBytes tree2 = seen.get(ExchangeTopology.TREE + task + 2);
            LinkBytes tree8 = seen.get(ExchangeTopology.TREE + task + 8);
            LinkBytes star2 = seen.get(ExchangeTopology.STAR + task + 2);
            LinkBytes star8 = seen.get(ExchangeTopology.STAR + task + 8);
            assertTrue(tree8.received() <= 1.25 * tree2.received() && tree8.sent() <= 1.25 * tree2.sent(),
                    task + ": tree at 8 workers " + tree8 + ", at 2 " + tree2);
            assertTrue(star8.received() >= 3.5 * star2.received() && star8.sent() >= 3.5 * star2.sent(),
                    task + ": star at 8 workers " + star8 + ", at 2 " + star2);
            assertTrue(tree8.sent() < 1.1 * params, task + ": the tree sends one vector, got " + tree8.sent());
        }
        for (int workers : new int[] {2, 4, 8}) {
            LinkBytes full = seen.get(ExchangeTopology.STAR + "average-float32" + workers);
            LinkBytes half = seen.get(ExchangeTopology.STAR + "average-bf16" + workers);
            assertTrue(half.received() < 0.55 * full.received(), "bf16 " + half + " against float32 " + full);
        }
    }

    @Test
    void oneJobPerRoundsTreeReceivesTheSameTaskResultBytesWhateverTheWorkers() throws Exception {
        AtomicLong results = new AtomicLong();
        SparkListener counter = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    results.addAndGet(end.taskMetrics().resultSize());
                }
            }
        };
        SPARK.sc().sc().addSparkListener(counter);
        Map<String, Long> seen = new HashMap<>();
        try {
            for (int workers : new int[] {2, 4, 8}) {
                CachedBlocks data = data(workers);
                for (ExchangeTopology topology : ExchangeTopology.values()) {
                    LinkBytes b = perRound(SparkTransport.jobs(SPARK.sc(), topology), data, tasks().get("sync"), () -> {
                        try {
                            SPARK.sc().sc().listenerBus().waitUntilEmpty();
                        } catch (java.util.concurrent.TimeoutException e) {
                            throw new IllegalStateException(e);
                        }
                        return new LinkBytes(0, results.get());
                    });
                    print("job", topology, "sync", workers, b);
                    seen.put(topology.configName() + workers, b.received());
                }
                data.release();
            }
        } finally {
            SPARK.sc().sc().removeSparkListener(counter);
        }
        assertTrue(seen.get("tree8") <= 1.25 * seen.get("tree2"), seen.toString());
        assertTrue(seen.get("star8") >= 3.5 * seen.get("star2"), seen.toString());
    }
}
