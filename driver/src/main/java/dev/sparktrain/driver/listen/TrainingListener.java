package dev.sparktrain.driver.listen;

/**
 * Observes training from the driver; listeners never take part in the maths. They run while the workers' tasks hold
 * their Spark task slots (the channel transport's barrier job, from round to round and epoch to epoch until an
 * evaluation), so a listener must not wait for a Spark job that needs those slots.
 */
public interface TrainingListener {

    default void onRound(RoundMetrics metrics) {
    }

    /**
     * Whether this listener must see each round between it and the next, before the next round's task goes out (for
     * one that reads something the next round would change, such as a link's byte counters). Otherwise a transport
     * whose workers compute on cores of their own reports a round while the next one runs.
     */
    default boolean needsRoundsBetweenRounds() {
        return false;
    }

    default void onEpoch(EpochMetrics metrics) {
    }
}
