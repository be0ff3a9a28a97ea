package dev.sparktrain.driver.exchange;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * A value every task of a round reads (the parameters, an optimizer state), as its {@link RoundRunner} ships it: a
 * Spark broadcast for one job per round, or the value itself inside the task sent over a worker's channel.
 */
public sealed interface RoundInput<T> extends Serializable {

    T get();

    /** Read from the executor's copy of a broadcast. */
    record Broadcasted<T>(Broadcast<T> broadcast) implements RoundInput<T> {
        @Override
        public T get() {
            return broadcast.value();
        }
    }

    /** Carried inside the serialized task. */
    record Direct<T>(T value) implements RoundInput<T> {
        @Override
        public T get() {
            return value;
        }
    }
}
