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
        return run(strategy, server, session, epoch, round, () -> {
        });
    }

    /**
     * As {@link #run(RoundStrategy, ParameterServer, RoundSession, int, int)}, running {@code whileWorkersRun} on this
     * thread once the round's task has gone out (see {@link RoundSession#run(RoundPlan, RoundTask, Runnable)}): the
     * driver's work that no worker waits for, such as the last round's metrics. It runs before the server changes.
     */
    public static RoundResult run(RoundStrategy strategy, ParameterServer server, RoundSession session, int epoch,
                                  int round, Runnable whileWorkersRun) {
        long start = System.nanoTime();
        RoundPlan plan = strategy.plan(server, epoch, round);
        long planned = System.nanoTime();
        RoundSums merged = session.run(plan, strategy.task(), whileWorkersRun);
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
            return new RoundResult(merged.count(), merged.meanLoss(), applied.update(), applied.learningRate(), cost);
        } finally {
            merged.release();
        }
    }
}
