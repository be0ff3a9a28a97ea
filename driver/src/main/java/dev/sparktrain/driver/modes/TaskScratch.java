package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.data.Augmentation;
import dev.sparktrain.driver.data.BatchBuffer;
import dev.sparktrain.driver.data.ImageAugmenter;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native arrays a round task computes in, kept by each thread for its next task of the same model: the network
 * (parameters, gradient, the layers' buffers), the inner optimizer's slots and the mini-batch. A fresh native array
 * of a million floats costs more than a whole step at small batches (docs/performance.md). A cache only: nothing in
 * it outlives a task. Tasks copy the values they are sent into these arrays, and whatever leaves a task (its result,
 * the state its worker carries on) is copied out of them or lives in arrays of its own, so two tasks run one after
 * the other on a thread never see each other's values.
 */
final class TaskScratch {

    private static final ThreadLocal<TaskScratch> KEPT = new ThreadLocal<>();

    private final NetworkSpec spec;
    private final Network network;
    private final Map<String, INDArray> slots = new LinkedHashMap<>();
    private final BatchBuffer batches = new BatchBuffer();
    private InnerState initial;
    private Order order;
    private ImageAugmenter augmenter;
    private long augmenterSeed;

    /** A partition's row order in an epoch ({@link Shuffle#order}). */
    private record Order(long seed, int epoch, int partition, int[] rows) {
    }

    private TaskScratch(NetworkSpec spec, float[] params) {
        this.spec = spec;
        this.network = new Network(spec, NativeFloats.copyOf(params));
    }

    /** This thread's scratch for {@code spec}, its network holding a copy of {@code params}. */
    static TaskScratch withParams(NetworkSpec spec, float[] params) {
        TaskScratch scratch = KEPT.get();
        if (scratch == null || !scratch.spec.equals(spec) || scratch.network.params().length() != params.length) {
            scratch = new TaskScratch(spec, params);
            KEPT.set(scratch);
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

    /** This thread's augmenter of the model's input images, kept while the augmentation and seed stay the same. */
    ImageAugmenter augmenter(Augmentation augmentation, long seed) {
        if (augmenter == null || !augmenter.augmentation().equals(augmentation) || augmenterSeed != seed) {
            augmenter = new ImageAugmenter(augmentation, spec.input(), seed);
            augmenterSeed = seed;
        }
        return augmenter;
    }

    /** A copy of a sent inner state in this thread's slot arrays: valid until this thread's next task. */
    OptimizerState copyOf(InnerState state) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        state.slots().forEach((name, values) -> {
            INDArray slot = NativeFloats.refill(slots.get(name), values);
            slots.put(name, slot);
            copies.put(name, slot);
        });
        return new OptimizerState(state.step(), copies);
    }

    /**
     * The optimizer's initial state in this thread's slot arrays, valid until this thread's next task. Initial slots
     * depend on the parameters' layout only (zeros, or RMSProp's ones), not on their values, so the first one made is
     * copied from then on.
     */
    OptimizerState fresh(Optimizer optimizer) {
        return copyOf(initialState(optimizer));
    }

    /** The optimizer's initial state in arrays of its own, for a state that outlives the task. */
    OptimizerState freshOwned(Optimizer optimizer) {
        return initialState(optimizer).toOptimizerState();
    }

    private InnerState initialState(Optimizer optimizer) {
        if (initial == null || !initial.slots().keySet().equals(optimizer.slotNames())) {
            initial = InnerState.of(optimizer.init(network.params()));
        }
        return initial;
    }
}
