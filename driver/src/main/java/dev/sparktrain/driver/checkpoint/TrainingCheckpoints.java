package dev.sparktrain.driver.checkpoint;

import dev.sparktrain.driver.stopping.EarlyStopping;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.checkpoint.Checkpoint;
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import dev.sparktrain.ps.checkpoint.ServerCheckpoints;
import dev.sparktrain.ps.checkpoint.ServerCheckpoints.RunInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The driver's side of checkpoints: the parameter server's state plus where training stands ({@link Position})
 * and the per-worker inner optimizer states of the {@code keep} policy. Everything a task depends on besides these
 * is derived from the run seed, so resuming from a checkpoint continues exactly where the run was.
 */
public final class TrainingCheckpoints {

    private static final String WORKER = "worker.";
    private static final String BEST = "best_params";

    private final CheckpointStore store;
    private final Map<String, Object> config;
    private final long seed;
    private Consumer<Path> saved = dir -> { };

    public TrainingCheckpoints(CheckpointStore store, Map<String, Object> config, long seed) {
        this.store = store;
        this.config = config;
        this.seed = seed;
    }

    /** Calls {@code action} with every checkpoint written, once it is complete on disk. */
    public TrainingCheckpoints whenSaved(Consumer<Path> action) {
        this.saved = action;
        return this;
    }

    public Path save(ParameterServer server, Position next, Map<Integer, InnerState> workerStates,
                     EarlyStopping.State watch, INDArray bestParams) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("early_stopping_best", Double.isNaN(watch.best()) ? null : watch.best());
        extra.put("early_stopping_best_epoch", watch.bestEpoch());
        extra.put("early_stopping_wait", watch.epochsWithoutImprovement());
        extra.put("position_epoch", next.epoch());
        extra.put("position_round", next.round());
        extra.put("epoch_loss_sum", next.epochLossSum());
        extra.put("epoch_samples", next.epochSamples());
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        if (bestParams != null) {
            arrays.put(BEST, bestParams);
        }
        new TreeMap<>(workerStates).forEach((partition, state) -> {
            extra.put(WORKER + partition + ".step", state.step());
            state.slots().forEach((slot, values) -> arrays.put(WORKER + partition + "." + slot,
                    Nd4j.createFromArray(values)));
        });
        Path dir = store.save(ServerCheckpoints.capture(server, new RunInfo(config, Map.of("run", seed), extra, arrays)));
        saved.accept(dir);
        return dir;
    }

    /** The newest checkpoint, if any. */
    public Optional<Path> latest() {
        return store.latest();
    }

    /** Every complete checkpoint, oldest first. */
    public List<Path> list() {
        return store.list();
    }

    /**
     * Checks {@code dir} as {@link #restore} would (manifest, size and SHA-256 of every file, shapes, the config
     * fits this run) without touching any state; throws {@link IllegalArgumentException} naming the problem.
     */
    public void verify(Path dir) {
        load(dir);
    }

    /** Loads {@code dir} and checks that this run's config may continue it ({@link ResumeChanges}). */
    private Checkpoint load(Path dir) {
        Checkpoint checkpoint = store.load(dir);
        ResumeChanges.requireFits(dir, checkpoint.config(), config);
        return checkpoint;
    }

    /** Loads {@code dir} (verifying checksums, shapes and that the config fits) into {@code server}. */
    public Restored restore(Path dir, ParameterServer server) {
        Checkpoint checkpoint = load(dir);
        RunInfo info = ServerCheckpoints.restore(checkpoint, server);
        Map<String, Object> extra = info.extra();
        Position position = new Position(number(extra, "position_epoch", dir).intValue(),
                number(extra, "position_round", dir).intValue(), number(extra, "epoch_loss_sum", dir).doubleValue(),
                number(extra, "epoch_samples", dir).longValue());
        Map<Integer, Map<String, float[]>> slots = new TreeMap<>();
        info.arrays().forEach((name, array) -> {
            if (name.startsWith(WORKER)) {
                String[] parts = name.substring(WORKER.length()).split("\\.", 2);
                slots.computeIfAbsent(Integer.parseInt(parts[0]), p -> new LinkedHashMap<>())
                        .put(parts[1], array.toFloatVector());
            }
        });
        Map<Integer, InnerState> workers = new TreeMap<>();
        slots.forEach((partition, s) -> workers.put(partition, new InnerState(
                number(extra, WORKER + partition + ".step", dir).longValue(), s)));
        Object best = extra.get("early_stopping_best");
        EarlyStopping.State watch = new EarlyStopping.State(best instanceof Number n ? n.doubleValue() : Double.NaN,
                number(extra, "early_stopping_best_epoch", dir).intValue(),
                number(extra, "early_stopping_wait", dir).intValue());
        // A best value of another metric means nothing to the new rule: it watches from the resumed epoch on.
        if (ResumeChanges.differs(checkpoint.config(), config, "training.early_stopping.monitor")) {
            return new Restored(dir, position, workers, EarlyStopping.State.START, null);
        }
        return new Restored(dir, position, workers, watch, info.arrays().get(BEST));
    }

    /** What a checkpoint gave back besides the server state; {@code bestParams} may be null. */
    public record Restored(Path dir, Position position, Map<Integer, InnerState> workerStates,
                           EarlyStopping.State watch, INDArray bestParams) {
    }

    private static Number number(Map<String, Object> extra, String key, Path dir) {
        if (!(extra.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(dir + ": checkpoint manifest lacks '" + key
                    + "' (not written by the sparktrain driver?)");
        }
        return n;
    }
}
