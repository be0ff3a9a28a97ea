package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.ps.ParameterServer;

/** One round, top to bottom: plan it, run it on every worker of a session, apply the merged result. */
public final class Round {

    private Round() {
    }

    /**
     * Runs round {@code round} (from 0) of {@code epoch} (from 1). Throws {@link NonFiniteLossException} when a
     * partition produced a NaN or infinite loss or vector; the parameter server is then left unchanged.
     */
    public static RoundResult run(RoundStrategy strategy, ParameterServer server, RoundSession session, int epoch,
                                  int round) {
        long start = System.nanoTime();
        RoundPlan plan = strategy.plan(server, epoch, round);
        long planned = System.nanoTime();
        RoundSums merged = session.run(plan, strategy.task());
        long ran = System.nanoTime();
        try {
            if (merged.firstNonFinitePartition() >= 0) {
                throw new NonFiniteLossException(epoch, round, merged.firstNonFinitePartition());
            }
            if (merged.isEmpty()) {
                return RoundResult.EMPTY;
            }
            RoundStrategy.Applied applied = strategy.apply(server, plan, merged);
            RoundCost cost = RoundCost.measured(start, planned, ran, System.nanoTime(), merged.taskStats(),
                    plan.payloadBytes());
            return new RoundResult(merged.count(), merged.meanLoss(), applied.gradientNorm(), applied.updateNorm(),
                    applied.learningRate(), cost);
        } finally {
            merged.release();
        }
    }
}
