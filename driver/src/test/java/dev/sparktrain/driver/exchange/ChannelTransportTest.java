package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.RoundTransport;
import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Sgd;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Rounds over the channel transport give bitwise the parameters of one Spark job per round, in every mode and with
 * blocks cut by checkpoints; one barrier job serves the blocks until an evaluation; a block that loses its job
 * mid-way runs again and still gives them. Here through local mode's in-memory links; {@link ChannelOverTcpTest}
 * runs the same over TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelTransportTest implements SparkContextExtension.Settings {

    private static final int FEATURES = 5;
    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(6, new Relu()), new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final Adam ADAM = Adam.defaults(0.02);
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();
    private static CachedBlocks data;

    /** Spark settings of this class's context. */
    @Override
    public Map<String, String> sparkSettings() {
        return Map.of();
    }

    boolean expectInMemory() {
        return true;
    }

    @BeforeAll
    void start() {
        // Unequal partitions: the second runs out of batches before the first.
        data = CachedBlocks.cache(SPARK.sc().parallelize(List.of(TestBlocks.random(90, FEATURES, 3, 1, 1),
                TestBlocks.random(61, FEATURES, 3, 1, 2)), 2), 2, FEATURES, "channel");
    }

    private static ParameterServer train(TrainingConfig config, List<TrainingListener> listeners, Path checkpoints,
                                         CheckpointPolicy policy) {
        Trainer.Builder builder = Trainer.builder(SPARK.sc(), SPEC, ADAM, config).listeners(listeners);
        if (checkpoints != null) {
            builder.checkpointTo(new TrainingCheckpoints(new CheckpointStore(checkpoints, policy.keep()),
                    Map.of("model", "mlp"), config.seed()), policy);
        }
        Trainer trainer = builder.build();
        trainer.fit(data, null);
        return trainer.server();
    }

    private static void channelEqualsJob(TrainingConfig config) {
        float[] job = train(config.withTransport(RoundTransport.JOB), List.of(), null, null).params().toFloatVector();
        ParameterServer channel = train(config.withTransport(RoundTransport.CHANNEL), List.of(), null, null);
        assertArrayEquals(job, channel.params().toFloatVector(), "channel and job transports must agree bitwise");
    }

    @Test
    void localModeTakesTheExpectedLinks() {
        assertEquals(expectInMemory(), ChannelTransport.inMemory(SPARK.sc()));
    }

    @Test
    void syncRoundsOverTheChannelEqualOneJobPerRound() {
        channelEqualsJob(TrainingConfig.sync(2, 16, 2, 3));
    }

    @Test
    void averageRoundsWithEachInnerStatePolicyEqualOneJobPerRound() {
        for (InnerStatePolicy policy : InnerStatePolicy.values()) {
            channelEqualsJob(TrainingConfig.sync(2, 8, 2, 4).withMode(TrainingMode.AVERAGE, 3, policy, null));
        }
    }

    @Test
    void outerRoundsEqualOneJobPerRound() {
        channelEqualsJob(TrainingConfig.sync(2, 8, 2, 5).withMode(TrainingMode.OUTER, 2, InnerStatePolicy.AVERAGE,
                Sgd.nesterov(1.0, 0.5)));
    }

    @Test
    void blocksCutByMidEpochCheckpointsGiveTheSameParameters(@TempDir Path dir) {
        TrainingConfig config = TrainingConfig.sync(2, 8, 2, 6).withMode(TrainingMode.AVERAGE, 2,
                InnerStatePolicy.KEEP, null);
        CheckpointPolicy everyTwoRounds = new CheckpointPolicy(1, 2, 2);
        float[] job = train(config, List.of(), dir.resolve("job"), everyTwoRounds).params().toFloatVector();
        float[] channel = train(config.withTransport(RoundTransport.CHANNEL), List.of(), dir.resolve("channel"),
                everyTwoRounds).params().toFloatVector();
        assertArrayEquals(job, channel);
    }

    /** Counts the Spark jobs started while it listens. */
    private static final class JobCount extends SparkListener {
        private final AtomicInteger started = new AtomicInteger();

        @Override
        public void onJobStart(SparkListenerJobStart jobStart) {
            started.incrementAndGet();
        }
    }

    /** The Spark jobs {@code fit} started, once Spark's listener bus has delivered their events. */
    private static int jobsStartedBy(Runnable fit) throws TimeoutException {
        JobCount count = new JobCount();
        SPARK.sc().sc().addSparkListener(count);
        try {
            fit.run();
            SPARK.sc().sc().listenerBus().waitUntilEmpty();
            return count.started.get();
        } finally {
            SPARK.sc().sc().removeSparkListener(count);
        }
    }

    @Test
    void oneBarrierJobServesEveryBlockUntilAnEvaluationNeedsTheTaskSlots(@TempDir Path dir)
            throws TimeoutException {
        TrainingConfig config = TrainingConfig.sync(3, 16, 2, 12).withTransport(RoundTransport.CHANNEL);
        // Three epochs, each cut into blocks by checkpoints every two rounds: all in one job.
        assertEquals(1, jobsStartedBy(() -> train(config, List.of(), dir, new CheckpointPolicy(1, 2, 2))));
        assertEquals(0, SPARK.sc().statusTracker().getActiveJobIds().length, "training must end its workers' job");
        // With a test set, each epoch's evaluation ends the workers' job: a job of rounds and an evaluation per epoch.
        Trainer trainer = Trainer.builder(SPARK.sc(), SPEC, ADAM, config).build();
        assertEquals(6, jobsStartedBy(() -> trainer.fit(data, data)));
        assertEquals(0, SPARK.sc().statusTracker().getActiveJobIds().length);
    }

    @Test
    void aBlockWhoseJobIsLostRunsAgainFromItsStartAndGivesTheSameParameters() {
        TrainingConfig config = TrainingConfig.sync(2, 16, 2, 8).withTransport(RoundTransport.CHANNEL);
        float[] uninterrupted = train(config, List.of(), null, null).params().toFloatVector();
        CancelBlockOnce cancel = new CancelBlockOnce(SPARK.sc(), 2, 2);
        float[] restarted = train(config, List.of(cancel), null, null).params().toFloatVector();
        assertArrayEquals(uninterrupted, restarted, "a restarted block must give bitwise the same parameters");
        // Epoch 2 (6 rounds) ran rounds 0..2 (and maybe 3), lost its job, and ran again from round 0.
        cancel.assertRanAgainFromTheStart(6);
    }

    @Test
    void aRestartedBlockSendsTheKeptInnerStatesOfItsStartAgain() {
        // Kept states stay on the workers within a block: the rerun must start from the driver's copy of the block's
        // start, not from what the workers held when the job was lost.
        TrainingConfig config = TrainingConfig.sync(2, 8, 2, 11).withMode(TrainingMode.AVERAGE, 2,
                InnerStatePolicy.KEEP, null).withTransport(RoundTransport.CHANNEL);
        float[] uninterrupted = train(config, List.of(), null, null).params().toFloatVector();
        CancelBlockOnce cancel = new CancelBlockOnce(SPARK.sc(), 2, 3);
        float[] restarted = train(config, List.of(cancel), null, null).params().toFloatVector();
        assertArrayEquals(uninterrupted, restarted);
        cancel.assertRanAgainFromTheStart(6);
    }

    @Test
    void aTaskThatFailsOnTheWorkerFailsTheRunWithTheWorkersMessage() {
        // The network expects 4 features per row, the data has 5: the worker's forward pass throws.
        NetworkSpec wrong = new NetworkSpec(new Shape(4), List.of(new Dense(3, new Identity())),
                new SoftmaxCrossEntropy());
        TrainingConfig config = TrainingConfig.sync(1, 16, 2, 9).withTransport(RoundTransport.CHANNEL);
        Trainer trainer = Trainer.builder(SPARK.sc(), wrong, ADAM, config).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.fit(data, null));
        assertTrue(e.getMessage().startsWith("worker 0 failed: "), e.getMessage());
        // The failed block's job is gone: the next run gets both task slots.
        channelEqualsJob(TrainingConfig.sync(1, 16, 2, 10));
    }

    @Test
    void withMoreWorkersThanTaskSlotsBlocksRunOneJobPerRoundAndGiveTheSameParameters() {
        // Three workers on local[2]: a barrier stage could never start, so each block falls back to a job per round.
        CachedBlocks three = CachedBlocks.cache(SPARK.sc().parallelize(List.of(TestBlocks.random(20, FEATURES, 3, 1, 1),
                TestBlocks.random(20, FEATURES, 3, 1, 2), TestBlocks.random(20, FEATURES, 3, 1, 3)), 3), 3, FEATURES,
                "three");
        TrainingConfig config = TrainingConfig.sync(1, 8, 3, 1).withMode(TrainingMode.AVERAGE, 2,
                InnerStatePolicy.KEEP, null);
        float[][] params = new float[2][];
        for (RoundTransport transport : RoundTransport.values()) {
            Trainer trainer = Trainer.builder(SPARK.sc(), SPEC, ADAM, config.withTransport(transport)).build();
            trainer.fit(three, null);
            params[transport.ordinal()] = trainer.server().params().toFloatVector();
        }
        assertArrayEquals(params[0], params[1]);
        three.release();
    }
}
