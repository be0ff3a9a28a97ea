package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.RowAugmentation;
import dev.sparktrain.driver.data.Seeds;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.runtime.ScratchWorkspace;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * One worker's share of a synchronous round: the mean gradient of its {@code round}-th mini-batch of this epoch's
 * shuffled order, at the plan's parameters, its rows augmented as the run says. A pure function of (parameters,
 * rows, run seed, epoch, round, partition index); it carries nothing between rounds.
 */
public final class SyncRoundTask implements RoundTask {

    private static final long serialVersionUID = 1L;

    private final NetworkSpec spec;
    private final long seed;
    private final int batchSize;
    private final boolean dropLastBatch;
    private final RowAugmentation augmentation;

    /** Without augmentation. */
    public SyncRoundTask(NetworkSpec spec, long seed, int batchSize, boolean dropLastBatch) {
        this(spec, seed, batchSize, dropLastBatch, RowAugmentation.NONE);
    }

    public SyncRoundTask(NetworkSpec spec, long seed, int batchSize, boolean dropLastBatch,
                         RowAugmentation augmentation) {
        this.spec = spec;
        this.seed = seed;
        this.batchSize = batchSize;
        this.dropLastBatch = dropLastBatch;
        this.augmentation = augmentation;
    }

    @Override
    public TaskOutput run(RoundPlan plan, int partition, DataBlock block, Carry carry) {
        RoundSums result = RoundSums.empty();
        int from = plan.round() * batchSize;
        int rows = Math.min(batchSize, block.rows() - from);
        if (rows <= 0 || (dropLastBatch && rows < batchSize)) {
            return new TaskOutput(result, Carry.NONE);
        }
        long start = System.nanoTime();
        // The plan's array is read by every task in this process: the network works on its own copy.
        TaskScratch scratch = TaskScratch.withParams(spec, plan.params().params());
        Network network = scratch.network();
        long fetched = System.nanoTime();
        int[] order = scratch.order(seed, plan.epoch(), partition, block.rows());
        Batch batch = augmentation.enabled()
                ? scratch.batches().gatherAugmented(block, order, from, rows,
                        scratch.augmenter(augmentation.augmentation(), seed), plan.epoch(),
                        augmentation.firstRow(partition, block))
                : scratch.batches().gather(block, order, from, rows);
        ForwardContext context = ForwardContext.training(Seeds.mix(seed, Seeds.STEP, plan.epoch(), plan.round(),
                partition));
        double loss;
        boolean finite;
        try (MemoryWorkspace temporaries = ScratchWorkspace.open()) {
            loss = network.computeGradient(batch.features(), batch.labels(), context);
            // One BLAS pass (Σ|g|) tells whether any gradient entry is NaN or infinite.
            finite = Double.isFinite(loss) && BlasVectors.allFinite(network.gradient());
        }
        if (!finite) {
            return new TaskOutput(result.markNonFinite(partition), Carry.NONE);
        }
        // Networks with non-trainable entries (batch-norm statistics) also send their parameters: the driver adopts
        // the workers' mean of those entries.
        boolean sendParams = network.layout().trainableLength() < network.layout().totalLength();
        result.add(sendParams ? Map.of(RoundSums.GRADIENT, network.gradient(), RoundSums.PARAMS, network.params())
                : Map.of(RoundSums.GRADIENT, network.gradient()), loss, rows, 0);
        long payload = network.gradient().length() + (sendParams ? network.params().length() : 0);
        result.taskStats().record(fetched - start, System.nanoTime() - fetched, payload * Float.BYTES);
        return new TaskOutput(result, Carry.NONE);
    }
}
