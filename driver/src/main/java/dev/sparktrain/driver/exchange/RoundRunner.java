package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.RoundTransport;
import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.util.function.BinaryOperator;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a round's task on every partition of the training blocks and merges the results in partition order, by
 * one of the {@link RoundTransport}s. Rounds come in blocks (the rounds between two checkpoints, at most an epoch):
 * {@link #beginBlock} before a block's first round, {@link #endBlock} after its last, {@link #abortBlock} when one
 * of its rounds failed. What a transport keeps running between blocks holds task slots until
 * {@link #releaseWorkers}.
 */
public interface RoundRunner {

    static RoundRunner of(JavaSparkContext sc, RoundTransport transport) {
        return switch (transport) {
            case JOB -> new JobRunner(sc);
            case CHANNEL -> new ChannelRunner(sc);
        };
    }

    /** The transport as it runs on {@code sc}: {@code job}, {@code channel (tcp)} or {@code channel (in memory)}. */
    static String describe(JavaSparkContext sc, RoundTransport transport) {
        return switch (transport) {
            case JOB -> transport.configName();
            case CHANNEL -> transport.configName() + (ChannelRunner.inMemory(sc) ? " (in memory)" : " (tcp)");
        };
    }

    /** {@code value} as the round's tasks will read it; {@link #release} it when the round is over. */
    <T> RoundInput<T> share(T value);

    void release(RoundInput<?> input);

    /**
     * {@code zero} merged with the task's result on partition 0, then 1, and so on. Throws
     * {@link WorkerLostException} when a worker was lost mid-round (only transports that restart blocks do).
     */
    <R> R run(CachedBlocks data, PartitionTask<DataBlock, R> task, R zero, BinaryOperator<R> merge);

    /** Opens a block of {@code rounds} rounds. */
    default void beginBlock(CachedBlocks data, int rounds) {
    }

    /**
     * Where the next round stands in its block, when this transport keeps each worker on one task for the block (so
     * state can stay on a worker between the block's rounds); null otherwise.
     */
    default BlockPlace nextRound() {
        return null;
    }

    /** A round's place in its block: which block attempt, and whether the round is its first or its last. */
    record BlockPlace(long block, int index, boolean last) implements java.io.Serializable {

        public boolean first() {
            return index == 0;
        }
    }

    default void endBlock() {
    }

    default void abortBlock() {
    }

    /**
     * Ends what this transport keeps running between blocks (the channel's barrier job, which holds a task slot per
     * worker): before anything else needs Spark's task slots, and when training ends. Not while a block is open.
     */
    default void releaseWorkers() {
    }

    /**
     * Whether a lost worker fails a whole block, so the caller must keep the state from the block's start to run it
     * again. Otherwise Spark re-runs lost tasks within the round and {@link WorkerLostException} never comes.
     */
    default boolean restartsBlocks() {
        return false;
    }
}
