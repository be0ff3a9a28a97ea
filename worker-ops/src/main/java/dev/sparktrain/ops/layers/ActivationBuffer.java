package dev.sparktrain.ops.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@code [batch, width]} array that a layer writes into on every pass instead of allocating a new one: a fresh
 * native allocation can cost more than the op that fills it (ND4J frees off-heap memory only after a Java GC, so
 * new arrays keep landing on fresh pages, which the kernel must zero first). It is reallocated when the batch size
 * or data type changes (an epoch's last, partial batch). What {@link #get} returns is overwritten by the next pass.
 */
final class ActivationBuffer {

    private final long width;
    private INDArray array;

    ActivationBuffer(long width) {
        this.width = width;
    }

    /** The buffer for a batch of {@code batch} rows; its contents are whatever the last pass left. */
    INDArray get(long batch, DataType type) {
        if (array == null || array.size(0) != batch || array.dataType() != type) {
            // Outside any workspace a caller may have open: the buffer outlives this call. Zeroed, not
            // uninitialized: a product with beta = 0 must not meet NaN garbage (0·NaN = NaN).
            try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                array = Nd4j.create(type, batch, width);
            }
        }
        return array;
    }
}
