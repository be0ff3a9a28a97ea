package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.ExchangeConfig;
import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.RoundTransport;
import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.driver.modes.Carry;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundSession;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.SyncRoundTask;
import dev.sparktrain.driver.modes.TaskOutput;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.BatchNorm;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.Sgd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The {@code tree} exchange gives bitwise the parameters of the star, in every mode and inner-state policy, over one
 * Spark job per round (the shuffled reduction) and over the channel (the workers' chain and tree), with five workers
 * of unequal partitions so that the tree has inner nodes and the chain sums in a visible order; a model wide enough
 * that its vectors travel in several pieces; and a block whose workers' job is lost mid-way runs again to the same
 * parameters. Here through local mode's in-memory links; {@link TreeExchangeOverTcpTest} runs the same over TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TreeExchangeTest implements SparkContextExtension.Settings {

    private static final int FEATURES = 5;
    private static final int WORKERS = 5;
    private static final NetworkSpec MLP = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(6, new Relu()), new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final NetworkSpec BATCH_NORM = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(6, new Relu()), new BatchNorm(0.9, 1e-5), new Dense(3, new Identity())),
            new SoftmaxCrossEntropy());
    /** 3·(5·W + W) + ... > 3 pieces of {@link TreeShape#PIECE_FLOATS}: the chain carries several pieces at once. */
    private static final NetworkSpec WIDE = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(30_000, new Relu()), new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final Adam ADAM = Adam.defaults(0.02);
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();
    private static CachedBlocks data;

    /** A run: its model, optimizer, config (star) and mid-epoch checkpoints every N rounds (0: none). */
    record Case(String name, NetworkSpec spec, Optimizer optimizer, TrainingConfig config, int checkpointEvery) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        TrainingConfig base = TrainingConfig.sync(2, 8, WORKERS, 7);
        return List.of(
                new Case("sync adam", MLP, ADAM, base, 0),
                new Case("sync momentum, batch norm", BATCH_NORM, Sgd.momentum(0.1, 0.9), base, 0),
                new Case("sync adam, wide", WIDE, ADAM, TrainingConfig.sync(1, 8, WORKERS, 3), 0),
                new Case("average reset", MLP, ADAM, base.withMode(TrainingMode.AVERAGE, 3, InnerStatePolicy.RESET,
                        null), 0),
                new Case("average average", MLP, ADAM, base.withMode(TrainingMode.AVERAGE, 3,
                        InnerStatePolicy.AVERAGE, null), 0),
                new Case("average keep, checkpoints every 2 rounds", MLP, ADAM, base.withMode(TrainingMode.AVERAGE, 2,
                        InnerStatePolicy.KEEP, null), 2),
                new Case("outer nesterov, batch norm", BATCH_NORM, ADAM, base.withMode(TrainingMode.OUTER, 2,
                        InnerStatePolicy.AVERAGE, Sgd.nesterov(0.7, 0.5)), 0),
                new Case("outer, bf16 pseudo-gradients", MLP, ADAM, base.withMode(TrainingMode.OUTER, 2,
                        InnerStatePolicy.RESET, Sgd.nesterov(0.7, 0.5)).withExchange(ExchangeConfig.defaults()
                        .withPseudoGradient(WirePrecision.BF16)), 0),
                new Case("average keep, fp16 pseudo-gradients, checkpoints every 2 rounds", MLP, ADAM,
                        base.withMode(TrainingMode.AVERAGE, 2, InnerStatePolicy.KEEP, null).withExchange(
                                ExchangeConfig.defaults().withPseudoGradient(WirePrecision.FP16)), 2));
    }

    /** Spark settings of this class's context: a task slot per worker, so the channel's barrier job can start. */
    @Override
    public Map<String, String> sparkSettings() {
        return Map.of("spark.master", "local[" + WORKERS + "]");
    }

    /** The transports whose tree this class compares with the star: the TCP subclass needs only the channel. */
    List<RoundTransport> transports() {
        return List.of(RoundTransport.values());
    }

    @BeforeAll
    void start() {
        int[] rows = {40, 33, 25, 47, 12};
        List<DataBlock> blocks = new ArrayList<>();
        for (int p = 0; p < WORKERS; p++) {
            blocks.add(TestBlocks.random(rows[p], FEATURES, 3, 1, 10 + p));
        }
        data = CachedBlocks.cache(SPARK.sc().parallelize(blocks, WORKERS), WORKERS, FEATURES, "tree");
    }

    private static float[] train(Case c, RoundTransport transport, ExchangeTopology topology, Path dir,
                                 List<TrainingListener> listeners) {
        TrainingConfig config = c.config().withTransport(transport).withExchange(c.config().exchange()
                .withTopology(topology));
        Trainer.Builder builder = Trainer.builder(SPARK.sc(), c.spec(), c.optimizer(), config).listeners(listeners);
        if (c.checkpointEvery() > 0) {
            builder.checkpointTo(new TrainingCheckpoints(new CheckpointStore(dir, 2), Map.of("model", "tree"),
                    config.seed()), new CheckpointPolicy(1, c.checkpointEvery(), 2));
        }
        Trainer trainer = builder.build();
        trainer.fit(data, null);
        return trainer.server().params().toFloatVector();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theTreeGivesTheStarsParametersBitForBitOverEachTransport(Case c, @TempDir Path dir) {
        float[] star = train(c, RoundTransport.JOB, ExchangeTopology.STAR, dir.resolve("star"), List.of());
        for (RoundTransport transport : transports()) {
            float[] tree = train(c, transport, ExchangeTopology.TREE, dir.resolve(transport.configName()), List.of());
            assertArrayEquals(star, tree, c.name() + ": the tree over " + transport.configName()
                    + " must give the star's parameters");
        }
        if (c.config().exchange().pseudoGradient().halves()) {
            // 16-bit pseudo-gradients travel as such only under the channel's star: they must arrive whole.
            float[] channelStar = train(c, RoundTransport.CHANNEL, ExchangeTopology.STAR, dir.resolve("channel-star"),
                    List.of());
            assertArrayEquals(star, channelStar, c.name() + ": the star over the channel must give the job's");
        }
    }

    @Test
    void summingInAnotherOrderWouldShow(@TempDir Path dir) {
        // The data are such that the order of the sums matters: five workers in reverse order give other bits.
        Case c = cases().get(0);
        float[] forward = train(c, RoundTransport.JOB, ExchangeTopology.STAR, dir.resolve("a"), List.of());
        CachedBlocks kept = data;
        List<DataBlock> reversed = new ArrayList<>(kept.rdd().collect());
        java.util.Collections.reverse(reversed);
        data = CachedBlocks.cache(SPARK.sc().parallelize(reversed, WORKERS), WORKERS, FEATURES, "reversed");
        try {
            float[] backward = train(c, RoundTransport.JOB, ExchangeTopology.STAR, dir.resolve("b"), List.of());
            assertTrue(!java.util.Arrays.equals(forward, backward));
        } finally {
            data.release();
            data = kept;
        }
    }

    @Test
    void aBlockWhoseWorkersJobIsLostMidTreeRunsAgainToTheSameParameters(@TempDir Path dir) {
        Case c = new Case("average keep", MLP, ADAM, TrainingConfig.sync(2, 8, WORKERS, 11)
                .withMode(TrainingMode.AVERAGE, 2, InnerStatePolicy.KEEP, null), 0);
        float[] star = train(c, RoundTransport.JOB, ExchangeTopology.STAR, dir, List.of());
        // Round 0's report, made while round 1 computes, cancels the job: the loss shows within the block.
        CancelBlockOnce cancel = new CancelBlockOnce(SPARK.sc(), 2, 0);
        float[] restarted = train(c, RoundTransport.CHANNEL, ExchangeTopology.TREE, dir, List.of(cancel));
        assertArrayEquals(star, restarted, "a restarted block must give bitwise the same parameters");
        // Epoch 2 (3 rounds) ran round 0 (and maybe 1), lost its job, and ran again from round 0.
        cancel.assertRanAgainFromTheStart(3);
    }

    @Test
    void aTaskThatFailsOnTheWorkersFailsTheRunWithAWorkersMessage() {
        // The network expects 4 features per row, the data has 5: every worker's forward pass throws.
        NetworkSpec wrong = new NetworkSpec(new Shape(4), List.of(new Dense(3, new Identity())),
                new SoftmaxCrossEntropy());
        TrainingConfig config = TrainingConfig.sync(1, 8, WORKERS, 9).withTransport(RoundTransport.CHANNEL)
                .withExchange(ExchangeConfig.defaults().withTopology(ExchangeTopology.TREE));
        Trainer trainer = Trainer.builder(SPARK.sc(), wrong, ADAM, config).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.fit(data, null));
        // Every worker fails: the chain reports the first.
        assertTrue(e.getMessage().matches("a worker failed: worker 0: .*features of shape \\[8, 5] do not fit "
                + "the network input 4.*"), e.getMessage());
        // The failed block's job is gone: the next run gets every task slot.
        Case c = cases().get(0);
        assertArrayEquals(train(c, RoundTransport.JOB, ExchangeTopology.STAR, null, List.of()),
                train(c, RoundTransport.CHANNEL, ExchangeTopology.TREE, null, List.of()));
    }

    /** A sync round whose task throws on one partition. */
    private static final class FailsOn implements RoundTask {
        private static final long serialVersionUID = 1L;
        private final int partition;
        private final RoundTask task = new SyncRoundTask(MLP, 1, 8, false);

        FailsOn(int partition) {
            this.partition = partition;
        }

        @Override
        public TaskOutput run(RoundPlan plan, int p, DataBlock rows, Carry carry) {
            if (p == partition) {
                throw new IllegalStateException("injected failure on partition " + p);
            }
            return task.run(plan, p, rows, carry);
        }
    }

    @Test
    void aWorkerInTheMiddleOfTheChainThatFailsIsReportedThroughTheWorkersAfterIt() throws Exception {
        SparkTransport transport = SparkTransport.channel(SPARK.sc(), ExchangeTopology.TREE);
        RoundPlan plan = new RoundPlan(1, 0, new ParameterSnapshot(0, MLP.initialParameters(1, DataType.FLOAT)
                .toFloatVector()), null);
        try (RoundSession session = transport.open(data, null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.run(plan,
                    new FailsOn(2)));
            assertEquals("a worker failed: worker 2: java.lang.IllegalStateException: injected failure on partition 2",
                    e.getMessage());
        }
        transport.releaseWorkers();
        // Cancelling a job returns before its tasks are killed: the job ends soon after, not at once.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (SPARK.sc().statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, SPARK.sc().statusTracker().getActiveJobIds().length, "the failed block's job must end");
    }
}
