package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.data.BatchBuffer;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.driver.exchange.RoundRunner.BlockPlace;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native arrays a round task computes in, kept by each executor thread and reused by its next task of the same
 * model: the network (parameters, gradient, the layers' buffers), the inner optimizer's slots and the mini-batch. A
 * fresh native array of a million floats costs milliseconds here (the off-heap memory is returned only after a Java
 * GC, so every allocation touches new pages that the kernel must fault in and zero), more than a whole step at small
 * batches.
 * Tasks still compute on copies: the broadcast values are copied into these arrays, so a retried task, or one on
 * another thread, returns the same result. A thread keeps one model's arrays for training and one for evaluation
 * (whose batches are larger: sharing would re-size the layers' buffers twice an epoch) until a task needs another.
 */
public final class TaskScratch {

    private static final ThreadLocal<TaskScratch> TRAINING = new ThreadLocal<>();
    private static final ThreadLocal<TaskScratch> EVALUATION = new ThreadLocal<>();

    private final NetworkSpec spec;
    private final Network network;
    private final Map<String, INDArray> slots = new LinkedHashMap<>();
    private final BatchBuffer batches = new BatchBuffer();
    private InnerState initial;
    private Order order;
    /** The Java array this thread's last result vector went out in ({@link #resultArray}). */
    private float[] result;
    /** The inner state this thread's worker ended its last round of a channel block with ({@code keep} policy). */
    private Resident resident;

    private record Resident(BlockPlace place, int partition, OptimizerState state) {
    }

    /** A partition's row order in an epoch ({@link Shuffle#order}). */
    private record Order(long seed, int epoch, int partition, int[] rows) {
    }

    private TaskScratch(NetworkSpec spec, float[] params) {
        this.spec = spec;
        this.network = new Network(spec, NativeFloats.copyOf(params));
    }

    /** This thread's training scratch for {@code spec}, its network holding a copy of {@code params}. */
    static TaskScratch withParams(NetworkSpec spec, float[] params) {
        return of(TRAINING, spec, params);
    }

    /** This thread's network for evaluating {@code spec}, holding a copy of {@code params}. */
    public static Network forEvaluation(NetworkSpec spec, float[] params) {
        return of(EVALUATION, spec, params).network;
    }

    private static TaskScratch of(ThreadLocal<TaskScratch> kept, NetworkSpec spec, float[] params) {
        TaskScratch scratch = kept.get();
        if (scratch == null || !scratch.spec.equals(spec) || scratch.network.params().length() != params.length) {
            scratch = new TaskScratch(spec, params);
            kept.set(scratch);
        } else {
            NativeFloats.copyInto(scratch.network.params(), params);
        }
        return scratch;
    }

    Network network() {
        return network;
    }

    BatchBuffer batches() {
        return batches;
    }

    /**
     * {@code partition}'s row order of {@code rows} rows in {@code epoch}, kept for the epoch's next rounds: drawing
     * it takes longer than a gradient at small batches. Read only.
     */
    int[] order(long seed, int epoch, int partition, int rows) {
        if (order == null || order.seed() != seed || order.epoch() != epoch || order.partition() != partition
                || order.rows().length != rows) {
            order = new Order(seed, epoch, partition, Shuffle.order(seed, epoch, partition, rows));
        }
        return order.rows();
    }

    /**
     * {@code vector}'s values in the Java array this thread's previous task returned its vector in (a new one the
     * first time): a fresh array of a million floats costs more than the copy, in zeroing and in the GCs it brings
     * (timed: 0.17 ms median per {@code sync} round, 2.9 ms at the 99th percentile).
     * <p>So a result holding this array is valid only until this thread's next task, and a runner must be done with a
     * round's results before the next round's tasks run: Spark serializes a task's result when the task ends (also
     * in local mode), the channel sends it over TCP before reading the next task, and the in-memory channel's driver
     * merges a round's results into its means before it sends the next round's tasks.
     */
    float[] resultArray(INDArray vector) {
        result = NativeFloats.toArray(vector, result);
        return result;
    }

    /** A copy of a broadcast inner state in this thread's slot arrays. */
    OptimizerState copyOf(InnerState state) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        state.slots().forEach((name, values) -> copies.put(name, slot(name, values)));
        return new OptimizerState(state.step(), copies);
    }

    /**
     * The optimizer's initial state in this thread's slot arrays. Initial slots depend on the parameters' layout only
     * (zeros, or RMSProp's ones), not on their values, so the first one made is copied from then on.
     */
    OptimizerState fresh(Optimizer optimizer) {
        if (initial == null || !initial.slots().keySet().equals(optimizer.slotNames())) {
            initial = InnerState.of(optimizer.init(network.params()));
        }
        return copyOf(initial);
    }

    /** Keeps {@code state}, which {@code partition}'s worker ended the round at {@code place} with, for the next round. */
    void keepResident(BlockPlace place, int partition, OptimizerState state) {
        resident = new Resident(place, partition, state);
    }

    /**
     * The state {@code partition}'s worker ended the previous round of {@code place}'s block with. A block's rounds
     * run one after another on one thread, so it is here unless something is badly wrong.
     */
    OptimizerState resident(BlockPlace place, int partition) {
        if (resident == null || resident.partition() != partition || resident.place().block() != place.block()
                || resident.place().index() != place.index() - 1) {
            throw new IllegalStateException("worker " + partition + " holds no inner state from round "
                    + place.index() + " of its block");
        }
        return resident.state();
    }

    private INDArray slot(String name, float[] values) {
        INDArray slot = NativeFloats.refill(slots.get(name), values);
        slots.put(name, slot);
        return slot;
    }
}
