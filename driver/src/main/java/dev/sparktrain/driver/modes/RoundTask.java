package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.data.DataBlock;

/**
 * A worker's share of a round, as a pure function: {@code (plan, partition, rows, carry in) → (result, carry out)}.
 * The same inputs give the same output wherever and however often it runs, so Spark may retry it anywhere and every
 * transport gets the same results. It is built once per run (model, optimizer, seed, batch sizes) and sent to the
 * workers with each round's {@link RoundPlan}.
 */
public interface RoundTask extends java.io.Serializable {

    /**
     * Runs the round on {@code partition}'s {@code rows} (a block of zero rows when the partition has none). The task
     * takes {@code carry} over (it may update a live carry's arrays in place) and returns what the worker carries into
     * its next round: {@link Carry#NONE} in modes that carry nothing.
     */
    TaskOutput run(RoundPlan plan, int partition, DataBlock rows, Carry carry);
}
