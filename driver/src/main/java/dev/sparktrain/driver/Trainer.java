package dev.sparktrain.driver;

import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.checkpoint.Position;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.eval.EvaluationSum;
import dev.sparktrain.driver.eval.Evaluator;
import dev.sparktrain.driver.exchange.RoundRunner;
import dev.sparktrain.driver.exchange.WorkerLostException;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.LocalStepRounds;
import dev.sparktrain.driver.modes.RoundCost;
import dev.sparktrain.driver.modes.RoundResult;
import dev.sparktrain.driver.modes.RoundStrategy;
import dev.sparktrain.driver.modes.SyncRounds;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ServerState;
import dev.sparktrain.ps.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop on the driver. Each round: snapshot the parameter server, share it with the workers, run the
 * round's task on every partition, merge the results in partition order
 * ({@link dev.sparktrain.driver.aggregate.OrderedMerge}) and apply them on the driver. How the parameters and results
 * travel is the {@link RoundTransport}'s business: a Spark job per round, or a channel whose job serves blocks of
 * rounds. Rounds come in blocks that end where a checkpoint is written or the epoch ends; a transport that loses a
 * worker mid-block gets the block run again from the state at its start, which gives the same parameters. The
 * channel's workers wait between blocks, holding their task slots, until an evaluation or the end of training:
 * listeners run meanwhile, so they must not start Spark jobs that need those slots.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Attempts at one block of rounds before the run fails (Spark's default for a task is 4 as well). */
    static final int MAX_BLOCK_ATTEMPTS = 4;
    /** The Spark job group of the evaluations after each epoch (cancelled by Ctrl-C, see {@link StopRequest}). */
    public static final String EVAL_JOB_GROUP = "sparktrain-eval";

    private final JavaSparkContext sc;
    private final NetworkSpec spec;
    private final ParameterServer server;
    private final TrainingConfig config;
    private final List<TrainingListener> listeners;
    private final RoundRunner runner;
    private final RoundStrategy strategy;
    private TrainingCheckpoints checkpoints;
    private CheckpointPolicy checkpointPolicy = CheckpointPolicy.defaults();
    private EarlyStopping earlyStopping;
    private StopRequest stop = new StopRequest();
    private EarlyStopping.State watch = EarlyStopping.State.START;
    private INDArray bestParams;
    /** The state the current block of rounds restarts from when a worker is lost; its arrays serve every block. */
    private ServerState blockStart;

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
        this.runner = RoundRunner.of(sc, config.transport());
        this.strategy = switch (config.mode()) {
            case SYNC -> new SyncRounds(runner, spec, server, config);
            case AVERAGE, OUTER -> new LocalStepRounds(runner, spec, server, config, workerOptimizer);
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

    /**
     * Stops at the next round boundary once {@code request} is set, throwing {@link StopRequest.Interrupted}; a block
     * that fails meanwhile is not run again.
     */
    public Trainer stopOn(StopRequest request) {
        this.stop = request;
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
        try {
            for (int epoch = start.epoch(); epoch <= config.epochs(); epoch++) {
                if (earlyStopping != null && earlyStopping.shouldStop(watch)) {
                    break;
                }
                history.add(runEpoch(position, train, test));
                position = new Position(epoch + 1, 0, 0, 0);
            }
        } finally {
            runner.releaseWorkers();
        }
        return history;
    }

    /** Rounds in an epoch under the configured mode. */
    public int roundsPerEpoch(CachedBlocks train) {
        return strategy.roundsPerEpoch(train);
    }

    /** The round after the block that starts at {@code first}: a block ends after a checkpoint, or with the epoch. */
    private int blockEnd(int epoch, int first, int rounds) {
        for (int round = first; round < rounds - 1; round++) {
            if (checkpoints != null && checkpointPolicy.afterRound(epoch, round, rounds)) {
                return round + 1;
            }
        }
        return rounds;
    }

    /** Rounds {@code first} to {@code end} − 1, again from the block's starting state when a worker is lost. */
    private EpochSoFar runBlock(CachedBlocks train, int epoch, int first, int end, int rounds, EpochSoFar before) {
        blockStart = runner.restartsBlocks() ? server.exportState(blockStart) : null;
        Map<Integer, InnerState> startWorkers = strategy.workerStates();
        for (int attempt = 1; ; attempt++) {
            try {
                // Names the job of a transport that keeps one for its blocks (a job per round names its own).
                sc.setJobGroup("sparktrain-epoch-" + epoch, "rounds from epoch " + epoch + ", round " + (first + 1)
                        + " of " + rounds + ", until an evaluation or the end", false);
                runner.beginBlock(train, end - first);
                EpochSoFar soFar = before;
                for (int round = first; round < end; round++) {
                    stop.check(epoch, round, null);
                    soFar = runRound(train, epoch, round, rounds, soFar);
                }
                runner.endBlock();
                return soFar;
            } catch (WorkerLostException e) {
                runner.abortBlock();
                stop.check(epoch, first, e);
                if (attempt == MAX_BLOCK_ATTEMPTS) {
                    throw new IllegalStateException("epoch " + epoch + ", rounds " + (first + 1) + "-" + end
                            + " failed " + attempt + " times, last: " + e.getMessage(), e);
                }
                LOG.warn("Epoch {}, rounds {}-{}: {}; running them again from their start (attempt {} of {})", epoch,
                        first + 1, end, e.getMessage(), attempt + 1, MAX_BLOCK_ATTEMPTS);
                server.importState(blockStart);
                strategy.restoreWorkerStates(startWorkers);
            } catch (RuntimeException | Error e) {
                runner.abortBlock();
                if (!(e instanceof StopRequest.Interrupted)) {
                    stop.check(epoch, first, e);
                }
                throw e;
            }
        }
    }

    private EpochSoFar runRound(CachedBlocks train, int epoch, int round, int rounds, EpochSoFar before) {
        long roundStart = System.nanoTime();
        sc.setJobGroup("sparktrain-epoch-" + epoch, "epoch " + epoch + ", round " + (round + 1) + "/" + rounds, false);
        RoundResult result = strategy.run(train, epoch, round);
        EpochSoFar soFar = before.plus(result);
        // Mid-epoch checkpoints here; the epoch-end one after evaluation, so it holds the early-stopping watch.
        if (checkpoints != null && round < rounds - 1 && checkpointPolicy.afterRound(epoch, round, rounds)) {
            checkpoints.save(server, new Position(epoch, round + 1, soFar.lossSum(), soFar.samples()),
                    strategy.workerStates(), watch, bestParams);
        }
        if (result.samples() > 0) {
            RoundMetrics metrics = roundMetrics(epoch, round, rounds, result, (System.nanoTime() - roundStart) / 1e9);
            listeners.forEach(l -> l.onRound(metrics));
        }
        return soFar;
    }

    private RoundMetrics roundMetrics(int epoch, int round, int rounds, RoundResult r, double seconds) {
        double paramNorm = server.paramsNorm();
        RoundCost c = r.cost();
        return new RoundMetrics(epoch, round, rounds, r.samples(), r.loss(), r.learningRate(), r.gradientNorm(),
                r.updateNorm(), paramNorm > 0 ? r.updateNorm() / paramNorm : Double.NaN, seconds,
                c.broadcastSeconds(), c.jobSeconds(), c.fetchSeconds(), c.computeSeconds(), c.sparkSeconds(),
                c.driverSeconds(), c.broadcastBytes(), c.resultBytes());
    }

    /** The training loss summed over the epoch's samples so far, and their count. */
    private record EpochSoFar(double lossSum, long samples) {

        EpochSoFar plus(RoundResult r) {
            return r.samples() > 0 ? new EpochSoFar(lossSum + r.loss() * r.samples(), samples + r.samples()) : this;
        }
    }

    private EpochMetrics runEpoch(Position from, CachedBlocks train, CachedBlocks test) {
        int epoch = from.epoch();
        int rounds = roundsPerEpoch(train);
        long start = System.nanoTime();
        EpochSoFar soFar = new EpochSoFar(from.epochLossSum(), from.epochSamples());
        for (int first = from.round(); first < rounds; ) {
            int end = blockEnd(epoch, first, rounds);
            soFar = runBlock(train, epoch, first, end, rounds, soFar);
            first = end;
        }
        double lossSum = soFar.lossSum();
        long samples = soFar.samples();
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        OptionalDouble testLoss = OptionalDouble.empty();
        OptionalDouble testAccuracy = OptionalDouble.empty();
        long evalStart = System.nanoTime();
        if (test != null && test.totalRows() > 0) {
            // The evaluation's tasks need the slots that the workers' waiting tasks hold.
            runner.releaseWorkers();
            sc.setJobGroup(EVAL_JOB_GROUP, "evaluate after epoch " + epoch, false);
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
