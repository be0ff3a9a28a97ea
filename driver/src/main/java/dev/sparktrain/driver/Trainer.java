package dev.sparktrain.driver;

import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.checkpoint.Position;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.eval.EvaluationSum;
import dev.sparktrain.driver.eval.Evaluator;
import dev.sparktrain.driver.exchange.SparkTransport;
import dev.sparktrain.driver.exchange.WorkerLostException;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.Round;
import dev.sparktrain.driver.modes.RoundCost;
import dev.sparktrain.driver.modes.RoundResult;
import dev.sparktrain.driver.modes.RoundSession;
import dev.sparktrain.driver.modes.RoundStrategy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.driver.stopping.EarlyStopping;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ServerState;
import dev.sparktrain.ps.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop on the driver. Each round ({@link Round}): the mode's strategy plans it from the parameter server,
 * the transport's session runs its task on every partition and merges the results in partition order, and the
 * strategy applies the merged result. How plans and results travel is the {@link SparkTransport}'s business: a Spark
 * job per round, or a channel whose job serves blocks of rounds. Rounds come in blocks that end where a checkpoint is
 * written or the epoch ends; a block that loses a worker runs again from the state at its start, which gives the same
 * parameters. The channel's workers wait between blocks, holding their task slots, until an evaluation or the end of
 * training: listeners run meanwhile, so they must not start Spark jobs that need those slots.
 * <p>Assembled in one place: {@link #builder}.
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
    private final SparkTransport transport;
    private final Optimizer optimizer;
    /** The mode's rounds on the training data they were made for ({@link #strategyFor}). */
    private RoundStrategy strategy;
    private int[] strategyRows;
    private final TrainingCheckpoints checkpoints;
    private final CheckpointPolicy checkpointPolicy;
    private final EarlyStopping earlyStopping;
    private final StopRequest stop;
    private EarlyStopping.State watch = EarlyStopping.State.START;
    private INDArray bestParams;
    /** The state the current block of rounds restarts from when a worker is lost; its arrays serve every block. */
    private ServerState blockStart;
    /** What each worker carried at the end of the last block, by partition ({@code keep} policy). */
    private Map<Integer, InnerState> carries = Map.of();

    private Trainer(Builder b) {
        this.sc = b.sc;
        this.spec = b.spec;
        this.config = b.config;
        this.server = ModeSetup.server(b.spec, b.optimizer, b.config);
        this.optimizer = b.optimizer;
        b.config.augmentation().requireImages(b.spec.input());
        this.listeners = List.copyOf(b.listeners);
        this.transport = switch (b.config.transport()) {
            case JOB -> SparkTransport.jobs(b.sc, b.config.exchange().topology());
            case CHANNEL -> SparkTransport.channel(b.sc, b.config.exchange().topology());
        };
        warnIfHalvesSaveNothing(b.config);
        this.checkpoints = b.checkpoints;
        this.checkpointPolicy = b.checkpointPolicy;
        this.earlyStopping = b.earlyStopping;
        this.stop = b.stop;
    }

    /** 16-bit pseudo-gradients save bytes on the star channel only: a legal but suspicious setting elsewhere. */
    private static void warnIfHalvesSaveNothing(TrainingConfig config) {
        String precision = config.exchange().pseudoGradient().configName();
        if (!config.exchange().pseudoGradient().halves()) {
            return;
        }
        if (config.transport() == RoundTransport.JOB) {
            LOG.warn("training.exchange.pseudo_gradient {} saves nothing over training.transport job: each round's "
                    + "error-feedback residuals travel to the driver and back with the workers' carries; use the "
                    + "channel transport", precision);
        } else if (config.exchange().topology() == ExchangeTopology.TREE) {
            LOG.warn("training.exchange.pseudo_gradient {} saves nothing under training.exchange.topology tree: the "
                    + "workers' running sums travel in float32; it still rounds what each worker contributes",
                    precision);
        }
    }

    /**
     * A trainer of {@code spec} with the training {@code optimizer} (what the driver applies in {@code sync} mode,
     * what the workers run in the local-step modes) as {@code config} says, from the model's initial parameters for
     * the config's seed.
     */
    public static Builder builder(JavaSparkContext sc, NetworkSpec spec, Optimizer optimizer, TrainingConfig config) {
        return new Builder(sc, spec, optimizer, config);
    }

    /** The optional parts of a trainer; {@link #build} makes it. */
    public static final class Builder {
        private final JavaSparkContext sc;
        private final NetworkSpec spec;
        private final Optimizer optimizer;
        private final TrainingConfig config;
        private List<TrainingListener> listeners = List.of();
        private TrainingCheckpoints checkpoints;
        private CheckpointPolicy checkpointPolicy = CheckpointPolicy.defaults();
        private EarlyStopping earlyStopping;
        private StopRequest stop = new StopRequest();

        private Builder(JavaSparkContext sc, NetworkSpec spec, Optimizer optimizer, TrainingConfig config) {
            this.sc = sc;
            this.spec = spec;
            this.optimizer = optimizer;
            this.config = config;
        }

        /** Told of every round and epoch, in this order. */
        public Builder listeners(List<TrainingListener> all) {
            this.listeners = List.copyOf(all);
            return this;
        }

        /** Writes checkpoints through {@code store} as {@code policy} says (by default none are written). */
        public Builder checkpointTo(TrainingCheckpoints store, CheckpointPolicy policy) {
            this.checkpoints = store;
            this.checkpointPolicy = policy;
            return this;
        }

        /** Stops when {@code rule}'s metric stops improving and keeps the best parameters; null for none. */
        public Builder stopEarly(EarlyStopping rule) {
            this.earlyStopping = rule;
            return this;
        }

        /**
         * Stops at the next round boundary once {@code request} is set, throwing {@link StopRequest.Interrupted}; a
         * block that fails meanwhile is not run again.
         */
        public Builder stopOn(StopRequest request) {
            this.stop = request;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }

    /** {@code transport} as it runs on {@code sc}: {@code job}, {@code channel (in memory)} or {@code channel (tcp)}. */
    public static String describe(JavaSparkContext sc, RoundTransport transport) {
        return switch (transport) {
            case JOB -> transport.configName();
            case CHANNEL -> SparkTransport.describeChannel(sc);
        };
    }

    /** The parameter server this trainer trains: its parameters are the model. */
    public ParameterServer server() {
        return server;
    }

    /**
     * The parameters of the best epoch under the early-stopping rule, if one is set and an epoch has run; otherwise
     * empty (the server's final parameters are the model).
     */
    public Optional<INDArray> bestParams() {
        return Optional.ofNullable(bestParams).map(INDArray::dup);
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
        if (!strategyFor(train).carriesWorkerState() && !restored.workerStates().isEmpty()) {
            throw new IllegalArgumentException("this mode keeps no per-worker state, the checkpoint has "
                    + restored.workerStates().size());
        }
        carries = Map.copyOf(restored.workerStates());
        watch = restored.watch();
        bestParams = restored.bestParams();
        return fitFrom(restored.position(), train, test);
    }

    private List<EpochMetrics> fitFrom(Position start, CachedBlocks train, CachedBlocks test) {
        if (train.totalRows() == 0) {
            throw new IllegalArgumentException("the training data set is empty");
        }
        strategyFor(train);
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
            transport.releaseWorkers();
        }
        return history;
    }

    /** Rounds in an epoch under the configured mode. */
    public int roundsPerEpoch(CachedBlocks train) {
        return strategyFor(train).roundsPerEpoch(train.maxRows());
    }

    /**
     * The mode's rounds on {@code train}, made once for its partitions' sizes: the workers' augmentation needs every
     * row's global index.
     */
    private RoundStrategy strategyFor(CachedBlocks train) {
        if (strategy == null || !Arrays.equals(strategyRows, train.rowsPerPartition())) {
            strategy = ModeSetup.strategy(spec, optimizer, config, train.rowsPerPartition());
            strategyRows = train.rowsPerPartition().clone();
        }
        return strategy;
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
        blockStart = server.exportState(blockStart);
        Map<Integer, InnerState> startCarries = carries;
        for (int attempt = 1; ; attempt++) {
            // Names the job of a transport that keeps one for its blocks (a job per round names its own).
            sc.setJobGroup("sparktrain-epoch-" + epoch, "rounds from epoch " + epoch + ", round " + (first + 1)
                    + " of " + rounds + ", until an evaluation or the end", false);
            PendingReport report = PendingReport.NONE;
            try (RoundSession session = transport.open(train, strategy.carriesWorkerState() ? carries : null)) {
                EpochSoFar soFar = before;
                boolean overlapReports = session.overlapsDriverWork()
                        && listeners.stream().noneMatch(TrainingListener::needsRoundsBetweenRounds);
                for (int round = first; round < end; round++) {
                    stop.check(epoch, round, null);
                    long roundStart = System.nanoTime();
                    sc.setJobGroup("sparktrain-epoch-" + epoch, "epoch " + epoch + ", round " + (round + 1) + "/"
                            + rounds, false);
                    // Where the reports overlap, the last round's report (its update's norms, the listeners) is made
                    // while this round's workers compute; a listener's action then takes effect a round later.
                    RoundResult result = Round.run(strategy, server, session, epoch, round, report);
                    soFar = soFar.plus(result);
                    report = result.samples() > 0 ? report(epoch, round, rounds, result,
                            (System.nanoTime() - roundStart) / 1e9) : PendingReport.NONE;
                    if (round == end - 1) {
                        endBlock(session, epoch, round, rounds, soFar);
                        report.run();
                    } else if (!overlapReports) {
                        report.run();
                    }
                }
                return soFar;
            } catch (WorkerLostException e) {
                report.runBefore(e);
                stop.check(epoch, first, e);
                if (attempt == MAX_BLOCK_ATTEMPTS) {
                    throw new IllegalStateException("epoch " + epoch + ", rounds " + (first + 1) + "-" + end
                            + " failed " + attempt + " times, last: " + e.getMessage(), e);
                }
                LOG.warn("Epoch {}, rounds {}-{}: {}; running them again from their start (attempt {} of {})", epoch,
                        first + 1, end, e.getMessage(), attempt + 1, MAX_BLOCK_ATTEMPTS);
                server.importState(blockStart);
                carries = startCarries;
            } catch (RuntimeException | Error e) {
                report.runBefore(e);
                if (!(e instanceof StopRequest.Interrupted)) {
                    stop.check(epoch, first, e);
                }
                throw e;
            }
        }
    }

    /**
     * Round {@code round}'s report, with its time; its metrics are read (the update's norms measured) when it is made.
     */
    private PendingReport report(int epoch, int round, int rounds, RoundResult result, double seconds) {
        return new PendingReport(() -> {
            RoundMetrics metrics = roundMetrics(epoch, round, rounds, result, seconds);
            listeners.forEach(l -> l.onRound(metrics));
        });
    }

    /**
     * Takes the workers' carries back and writes a mid-epoch checkpoint when one is due (the epoch-end one comes after
     * evaluation, so it holds the early-stopping watch).
     */
    private void endBlock(RoundSession session, int epoch, int round, int rounds, EpochSoFar soFar) {
        Map<Integer, InnerState> next = new HashMap<>(carries);
        next.putAll(session.finish());
        carries = Map.copyOf(next);
        if (checkpoints != null && round < rounds - 1 && checkpointPolicy.afterRound(epoch, round, rounds)) {
            checkpoints.save(server, new Position(epoch, round + 1, soFar.lossSum(), soFar.samples()), carries,
                    watch, bestParams);
        }
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
            transport.releaseWorkers();
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
            checkpoints.save(server, new Position(epoch + 1, 0, 0, 0), carries, watch, bestParams);
        }
        listeners.forEach(l -> l.onEpoch(metrics));
        return metrics;
    }
}
