package dev.sparktrain.ops.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@code [batch, rowShape...]} array that a layer writes into on every pass instead of allocating a new one: a
 * fresh native allocation can cost more than the op that fills it (ND4J frees off-heap memory only after a Java GC,
 * so new arrays keep landing on fresh pages, which the kernel must zero first). A smaller batch (an epoch's last,
 * partial one) gets a view of the first rows of the array kept for the largest batch so far, so the full batch
 * that follows finds its array again; only a larger batch or another data type allocates. What {@link #get}
 * returns is overwritten by the next pass.
 */
public final class ActivationBuffer {

    private final long[] rowShape;
    /** The array for the largest batch so far. */
    private INDArray full;
    /** What the last {@link #get} returned: {@code full} or a view of its first rows. */
    private INDArray current;

    public ActivationBuffer(long... rowShape) {
        this.rowShape = rowShape.clone();
    }

    /** The sizes after the batch axis this buffer was made for. */
    public long[] rowShape() {
        return rowShape.clone();
    }

    /** The buffer for a batch of {@code batch} rows; its contents are whatever the last pass left. */
    public INDArray get(long batch, DataType type) {
        if (current != null && current.size(0) == batch && current.dataType() == type) {
            return current;
        }
        // Outside any workspace a caller may have open: the array and its view outlive this call.
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (full == null || full.size(0) < batch || full.dataType() != type) {
                // Zeroed, not uninitialized: a product with beta = 0 must not meet NaN garbage (0·NaN = NaN).
                long[] shape = new long[rowShape.length + 1];
                shape[0] = batch;
                System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
                full = Nd4j.create(type, shape);
            }
            current = full.size(0) == batch ? full : full.get(firstRows(batch));
        }
        return current;
    }

    /** The bytes of the array kept for the largest batch so far (0 before the first {@link #get}). */
    public long keptBytes() {
        return full == null ? 0 : full.length() * full.dataType().width();
    }

    private INDArrayIndex[] firstRows(long batch) {
        INDArrayIndex[] index = new INDArrayIndex[rowShape.length + 1];
        Arrays.fill(index, NDArrayIndex.all());
        index[0] = NDArrayIndex.interval(0, batch);
        return index;
    }
}
