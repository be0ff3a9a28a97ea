package dev.sparktrain.driver;

import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.checkpoint.Position;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.eval.EvaluationSum;
import dev.sparktrain.driver.eval.Evaluator;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.driver.modes.LocalStepRounds;
import dev.sparktrain.driver.modes.RoundCost;
import dev.sparktrain.driver.modes.RoundResult;
import dev.sparktrain.driver.modes.RoundStrategy;
import dev.sparktrain.driver.modes.SyncRounds;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The epoch loop on the driver. Each round: snapshot the parameter server, broadcast it, run ONE Spark job whose
 * tasks return mergeable results, merge them in partition order
 * ({@link dev.sparktrain.driver.aggregate.OrderedMerge}), apply them on the driver, destroy the broadcast.
 */
public final class Trainer {

    private final JavaSparkContext sc;
    private final NetworkSpec spec;
    private final ParameterServer server;
    private final TrainingConfig config;
    private final List<TrainingListener> listeners;
    private final RoundStrategy strategy;
    private TrainingCheckpoints checkpoints;
    private CheckpointPolicy checkpointPolicy = CheckpointPolicy.defaults();
    private EarlyStopping earlyStopping;
    private EarlyStopping.State watch = EarlyStopping.State.START;
    private INDArray bestParams;

    /**
     * {@code server} holds the optimizer the driver applies: the training optimizer in {@code sync} mode, the
     * outer optimizer in {@code outer} mode; {@code workerOptimizer} is what workers run in the local-step modes.
     */
    public Trainer(JavaSparkContext sc, NetworkSpec spec, ParameterServer server, Optimizer workerOptimizer,
                   TrainingConfig config, List<TrainingListener> listeners) {
        this.sc = sc;
        this.spec = spec;
        this.server = server;
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.strategy = switch (config.mode()) {
            case SYNC -> new SyncRounds(sc, spec, server, config);
            case AVERAGE, OUTER -> new LocalStepRounds(sc, spec, server, config, workerOptimizer);
        };
    }

    /**
     * A parameter server holding the optimizer the driver applies in this config's mode: {@code optimizer} itself,
     * or in {@code outer} mode the outer optimizer ({@code optimizer} then runs on the workers).
     */
    public static ParameterServer serverFor(INDArray initialParams, Optimizer optimizer, TrainingConfig config) {
        return new ParameterServer(initialParams, config.mode() == TrainingMode.OUTER ? config.outerOptimizer()
                : optimizer);
    }

    /** Writes checkpoints through {@code store} as {@code policy} says (by default none are written). */
    public Trainer checkpointTo(TrainingCheckpoints store, CheckpointPolicy policy) {
        this.checkpoints = store;
        this.checkpointPolicy = policy;
        return this;
    }

    /** Stops when {@code rule}'s metric stops improving and keeps the best parameters ({@link #bestParams()}). */
    public Trainer stopEarly(EarlyStopping rule) {
        this.earlyStopping = rule;
        return this;
    }

    /**
     * The parameters of the best epoch under the early-stopping rule, if one is set and an epoch has run; otherwise
     * empty (the server's final parameters are the model).
     */
    public java.util.Optional<INDArray> bestParams() {
        return java.util.Optional.ofNullable(bestParams).map(INDArray::dup);
    }

    /** Trains for {@code config.epochs()} epochs; {@code test} may be null. Returns the per-epoch metrics. */
    public List<EpochMetrics> fit(CachedBlocks train, CachedBlocks test) {
        return fitFrom(Position.START, train, test);
    }

    /**
     * Restores the parameter server and the driver's state from the checkpoint in {@code dir} and trains the
     * remaining rounds: the final parameters equal those of a run that was never stopped.
     */
    public List<EpochMetrics> resume(Path dir, CachedBlocks train, CachedBlocks test) {
        if (checkpoints == null) {
            throw new IllegalStateException("resume needs checkpointTo(...) first");
        }
        TrainingCheckpoints.Restored restored = checkpoints.restore(dir, server);
        strategy.restoreWorkerStates(restored.workerStates());
        watch = restored.watch();
        bestParams = restored.bestParams();
        return fitFrom(restored.position(), train, test);
    }

    private List<EpochMetrics> fitFrom(Position start, CachedBlocks train, CachedBlocks test) {
        if (train.totalRows() == 0) {
            throw new IllegalArgumentException("the training data set is empty");
        }
        List<EpochMetrics> history = new ArrayList<>();
        Position position = start;
        for (int epoch = start.epoch(); epoch <= config.epochs(); epoch++) {
            if (earlyStopping != null && earlyStopping.shouldStop(watch)) {
                break;
            }
            history.add(runEpoch(position, train, test));
            position = new Position(epoch + 1, 0, 0, 0);
        }
        return history;
    }

    /** Rounds in an epoch under the configured mode. */
    public int roundsPerEpoch(CachedBlocks train) {
        return strategy.roundsPerEpoch(train);
    }

    private RoundMetrics roundMetrics(int epoch, int round, int rounds, RoundResult r, double seconds) {
        double paramNorm = server.params().norm2Number().doubleValue();
        RoundCost c = r.cost();
        return new RoundMetrics(epoch, round, rounds, r.samples(), r.loss(), r.learningRate(), r.gradientNorm(),
                r.updateNorm(), paramNorm > 0 ? r.updateNorm() / paramNorm : Double.NaN, seconds,
                c.broadcastSeconds(), c.jobSeconds(), c.fetchSeconds(), c.computeSeconds(), c.sparkSeconds(),
                c.driverSeconds(), c.broadcastBytes(), c.resultBytes());
    }

    private EpochMetrics runEpoch(Position from, CachedBlocks train, CachedBlocks test) {
        int epoch = from.epoch();
        int rounds = roundsPerEpoch(train);
        long start = System.nanoTime();
        double lossSum = from.epochLossSum();
        long samples = from.epochSamples();
        for (int round = from.round(); round < rounds; round++) {
            long roundStart = System.nanoTime();
            sc.setJobGroup("sparktrain-epoch-" + epoch, "epoch " + epoch + ", round " + (round + 1) + "/" + rounds,
                    false);
            RoundResult result = strategy.run(train, epoch, round);
            if (result.samples() > 0) {
                lossSum += result.loss() * result.samples();
                samples += result.samples();
            }
            // Mid-epoch checkpoints here; the epoch-end one after evaluation, so it holds the early-stopping watch.
            if (checkpoints != null && round < rounds - 1 && checkpointPolicy.afterRound(epoch, round, rounds)) {
                checkpoints.save(server, new Position(epoch, round + 1, lossSum, samples), strategy.workerStates(),
                        watch, bestParams);
            }
            if (result.samples() == 0) {
                continue;
            }
            RoundMetrics metrics = roundMetrics(epoch, round, rounds, result, (System.nanoTime() - roundStart) / 1e9);
            listeners.forEach(l -> l.onRound(metrics));
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        OptionalDouble testLoss = OptionalDouble.empty();
        OptionalDouble testAccuracy = OptionalDouble.empty();
        long evalStart = System.nanoTime();
        if (test != null && test.totalRows() > 0) {
            sc.setJobGroup("sparktrain-eval", "evaluate after epoch " + epoch, false);
            EvaluationSum eval = Evaluator.evaluate(sc, test, spec, server.snapshot(), config.evalBatchSize());
            testLoss = OptionalDouble.of(eval.meanLoss());
            testAccuracy = eval.isClassification() ? OptionalDouble.of(eval.accuracy()) : OptionalDouble.empty();
        }
        EpochMetrics metrics = new EpochMetrics(epoch, config.epochs(), rounds, samples,
                samples > 0 ? lossSum / samples : Double.NaN, trainSeconds, (System.nanoTime() - evalStart) / 1e9,
                testLoss, testAccuracy);
        if (earlyStopping != null) {
            EarlyStopping.State next = earlyStopping.next(watch, metrics);
            if (next.bestEpoch() == epoch) {
                bestParams = server.params();
            }
            watch = next;
        }
        if (checkpoints != null && checkpointPolicy.afterRound(epoch, rounds - 1, rounds)) {
            checkpoints.save(server, new Position(epoch + 1, 0, 0, 0), strategy.workerStates(), watch, bestParams);
        }
        listeners.forEach(l -> l.onEpoch(metrics));
        return metrics;
    }
}
