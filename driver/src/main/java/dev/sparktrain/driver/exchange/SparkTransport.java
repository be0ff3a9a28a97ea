package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundSession;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * How a round's plan and task reach the workers on Spark's executors and their results come back: one Spark job per
 * round ({@link #jobs}), or a channel to each worker of one barrier job that serves block after block
 * ({@link #channel}). Either opens a {@link RoundSession} per block of rounds, and moves results and parameters in
 * the {@link ExchangeTopology} it was made with: the same results either way.
 */
public interface SparkTransport {

    static SparkTransport jobs(JavaSparkContext sc, ExchangeTopology topology) {
        return new JobTransport(sc, topology);
    }

    static SparkTransport channel(JavaSparkContext sc, ExchangeTopology topology) {
        return new ChannelTransport(sc, topology);
    }

    /** The channel as it runs on {@code sc}: {@code channel (in memory)} or {@code channel (tcp)}. */
    static String describeChannel(JavaSparkContext sc) {
        return "channel" + (ChannelTransport.inMemory(sc) ? " (in memory)" : " (tcp)");
    }

    /**
     * Opens a block of rounds on {@code data}'s partitions, one worker each, starting from {@code carries} (by
     * partition; a worker without one starts fresh), or carrying nothing when {@code carries} is null.
     */
    RoundSession open(CachedBlocks data, Map<Integer, InnerState> carries);

    /**
     * Ends what this transport keeps running between sessions (the channel's barrier job, which holds a task slot per
     * worker): before anything else needs Spark's task slots, and when training ends. The next session starts it
     * again.
     */
    default void releaseWorkers() {
    }

    /**
     * Bytes through the driver's own connections to the workers since this transport was made: the channel's over
     * TCP. One Spark job per round moves its data through Spark's broadcast and task results, which Spark's own
     * metrics count, and an in-memory channel encodes nothing: both give {@link LinkBytes#ZERO}.
     */
    default LinkBytes driverLinkBytes() {
        return LinkBytes.ZERO;
    }
}
