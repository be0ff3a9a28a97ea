package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.ps.ParameterServer;

/**
 * One training mode's rounds: what the workers run ({@link #task}), what a round sends them ({@link #plan}) and what
 * the driver does with their merged result ({@link #apply}). {@link Round} runs one round through a session.
 */
public interface RoundStrategy {

    /** Rounds needed for a partition of {@code maxRows} rows (the largest) to go through its rows once. */
    int roundsPerEpoch(int maxRows);

    /** The task every worker runs in every round of the run. */
    RoundTask task();

    /** Whether workers carry state from round to round ({@code keep} policy), so sessions must hold it. */
    boolean carriesWorkerState();

    /** What round {@code round} (from 0) of {@code epoch} (from 1) sends every worker, read from the server now. */
    RoundPlan plan(ParameterServer server, int epoch, int round);

    /**
     * Applies the round's non-empty, finite merged result to the server. Throws {@link NonFiniteLossException} when the
     * mean it would apply is not finite; the server is then unchanged.
     */
    Applied apply(ParameterServer server, RoundPlan plan, RoundSums merged);

    /**
     * What applying did: the server's update, with the L2 norms of the gradient applied (the mean gradient, or the
     * pseudo-gradient θ − mean(θ_workers)) and of the parameter change (measured when first read: see
     * {@link ParameterServer.Update}), and the training optimizer's learning rate.
     */
    record Applied(ParameterServer.Update update, double learningRate) {
    }
}
