package dev.sparktrain.driver.data;

import dev.sparktrain.ops.layers.ActivationBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A mini-batch gathered into the same two native arrays step after step, for one thread's training loop: a fresh
 * native array per step (200 KB of features at batch 64 on Fashion-MNIST) costs more than the step's small ops, as
 * each allocation touches new pages. A smaller row count (the last, partial batch) is served from the first rows of
 * the same arrays (see {@link ActivationBuffer}). The returned {@link Batch} is valid until the next {@link #gather}.
 */
public final class BatchBuffer {

    private ActivationBuffer featureRows;
    private final ActivationBuffer labelRows = new ActivationBuffer();

    /** The rows {@code order[from .. from+count)} of {@code block}, as {@link Batch#gather} but into this buffer. */
    public Batch gather(DataBlock block, int[] order, int from, int count) {
        return gather(block, order, from, count, null, 0, 0);
    }

    /**
     * As {@link #gather(DataBlock, int[], int, int)}, each row passed through {@code augmenter} on its way in, as
     * {@code epoch} augments it; {@code block}'s row {@code r} is row {@code firstRow + r} of the training set.
     */
    public Batch gatherAugmented(DataBlock block, int[] order, int from, int count, ImageAugmenter augmenter,
                                 int epoch, long firstRow) {
        if (augmenter.rowSize() != block.featureSize()) {
            throw new IllegalArgumentException("augmentation of images of " + augmenter.rowSize()
                    + " values, got rows of " + block.featureSize() + " features");
        }
        return gather(block, order, from, count, augmenter, epoch, firstRow);
    }

    private Batch gather(DataBlock block, int[] order, int from, int count, ImageAugmenter augmenter, int epoch,
                         long firstRow) {
        int size = block.featureSize();
        if (featureRows == null || featureRows.rowShape()[0] != size) {
            featureRows = new ActivationBuffer(size);
        }
        INDArray features = featureRows.get(count, DataType.FLOAT);
        INDArray labels = labelRows.get(count, DataType.FLOAT);
        // A partial batch's arrays are views of the first rows: their buffers start where the views do.
        FloatBuffer x = features.data().asNioFloat();
        FloatBuffer y = labels.data().asNioFloat();
        for (int i = 0; i < count; i++) {
            int row = order[from + i];
            if (augmenter == null) {
                x.put(i * size, block.features(), row * size, size);
            } else {
                augmenter.copyRow(block.features(), row * size, x, i * size, epoch, firstRow + row);
            }
            y.put(i, block.labels()[row]);
        }
        return new Batch(count, features, labels);
    }
}
