package dev.sparktrain.driver.data;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A mini-batch gathered into the same two native arrays step after step, for one thread's training loop: a fresh
 * native array per step (200 KB of features at batch 64 on Fashion-MNIST) costs more than the step's small ops, as
 * each allocation touches new pages. A different row count (the last, partial batch) re-sizes the arrays. The
 * returned {@link Batch} is valid until the next {@link #gather}.
 */
public final class BatchBuffer {

    private INDArray features;
    private INDArray labels;

    /** The rows {@code order[from .. from+count)} of {@code block}, as {@link Batch#gather} but into this buffer. */
    public Batch gather(DataBlock block, int[] order, int from, int count) {
        int size = block.featureSize();
        if (features == null || features.size(0) != count || features.size(1) != size) {
            features = Nd4j.create(DataType.FLOAT, new long[] {count, size}, 'c');
            labels = Nd4j.create(DataType.FLOAT, count);
        }
        FloatBuffer x = features.data().asNioFloat();
        FloatBuffer y = labels.data().asNioFloat();
        for (int i = 0; i < count; i++) {
            int row = order[from + i];
            x.put(i * size, block.features(), row * size, size);
            y.put(i, block.labels()[row]);
        }
        return new Batch(count, features, labels);
    }
}
