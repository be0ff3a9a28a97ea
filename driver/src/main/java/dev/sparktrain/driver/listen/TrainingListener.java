package dev.sparktrain.driver.listen;

/**
 * Observes training from the driver; listeners never take part in the maths. They run while the workers' tasks hold
 * their Spark task slots (the channel transport's barrier job, from round to round and epoch to epoch until an
 * evaluation), so a listener must not wait for a Spark job that needs those slots.
 */
public interface TrainingListener {

    default void onRound(RoundMetrics metrics) {
    }

    default void onEpoch(EpochMetrics metrics) {
    }
}
