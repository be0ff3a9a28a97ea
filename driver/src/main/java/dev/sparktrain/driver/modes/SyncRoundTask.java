package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.GradientSum;
import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Seeds;
import dev.sparktrain.driver.exchange.RoundInput;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ops.runtime.ScratchWorkspace;
import dev.sparktrain.ps.ParameterSnapshot;
import java.util.Iterator;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * One worker's share of a synchronous round: the mean gradient of its {@code round}-th mini-batch of this epoch's
 * shuffled order, at the broadcast parameters. A pure function of (parameters, partition, run seed, epoch, round,
 * partition index), so a retried task returns the same result.
 */
public final class SyncRoundTask implements PartitionTask<DataBlock, GradientSum> {

    private static final long serialVersionUID = 1L;

    private final NetworkSpec spec;
    private final RoundInput<ParameterSnapshot> params;
    private final long seed;
    private final int epoch;
    private final int round;
    private final int batchSize;
    private final boolean dropLastBatch;

    public SyncRoundTask(NetworkSpec spec, RoundInput<ParameterSnapshot> params, long seed, int epoch, int round,
                         int batchSize, boolean dropLastBatch) {
        this.spec = spec;
        this.params = params;
        this.seed = seed;
        this.epoch = epoch;
        this.round = round;
        this.batchSize = batchSize;
        this.dropLastBatch = dropLastBatch;
    }

    @Override
    public GradientSum run(int partition, Iterator<DataBlock> blocks) {
        GradientSum result = GradientSum.empty();
        if (!blocks.hasNext()) {
            return result;
        }
        DataBlock block = blocks.next();
        int from = round * batchSize;
        int rows = Math.min(batchSize, block.rows() - from);
        if (rows <= 0 || (dropLastBatch && rows < batchSize)) {
            return result;
        }
        long start = System.nanoTime();
        // The shared input array is read by every task in this executor: the network works on its own copy.
        TaskScratch scratch = TaskScratch.withParams(spec, params.get().params());
        Network network = scratch.network();
        long fetched = System.nanoTime();
        int[] order = scratch.order(seed, epoch, partition, block.rows());
        Batch batch = scratch.batches().gather(block, order, from, rows);
        ForwardContext context = ForwardContext.training(Seeds.mix(seed, Seeds.STEP, epoch, round, partition));
        double loss;
        boolean finite;
        try (MemoryWorkspace temporaries = ScratchWorkspace.open()) {
            loss = network.computeGradient(batch.features(), batch.labels(), context);
            // One BLAS pass (Σ|g|) tells whether any gradient entry is NaN or infinite.
            finite = Double.isFinite(loss) && BlasVectors.allFinite(network.gradient());
        }
        if (!finite) {
            return result.markNonFinite(partition);
        }
        result.add(scratch.resultArray(network.gradient()), loss, rows);
        long payload = network.gradient().length();
        if (network.layout().trainableLength() < network.layout().totalLength()) {
            result.addParams(NativeFloats.toArray(network.params()), rows);
            payload += network.params().length();
        }
        result.taskStats().record(fetched - start, System.nanoTime() - fetched, payload * Float.BYTES);
        return result;
    }
}
