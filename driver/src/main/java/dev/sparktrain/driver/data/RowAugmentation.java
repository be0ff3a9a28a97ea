package dev.sparktrain.driver.data;

import java.util.Arrays;

/**
 * A run's training-time {@link Augmentation} and where each partition's rows sit in the training set, so that a
 * worker knows every row's global index: partition {@code p} holds rows {@code [Σ rows[<p], Σ rows[≤p])} of the data
 * set in order (as the readers and {@code Rebalance} split it, and as {@code InProcessTrainer} does). What a task
 * carries to its workers; {@link #NONE} when the run does not augment.
 */
public final class RowAugmentation implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** No augmentation. */
    public static final RowAugmentation NONE = new RowAugmentation(Augmentation.NONE, new int[0]);

    private final Augmentation augmentation;
    private final int[] rowsPerPartition;

    private RowAugmentation(Augmentation augmentation, int[] rowsPerPartition) {
        this.augmentation = augmentation;
        this.rowsPerPartition = rowsPerPartition;
    }

    /** {@code augmentation} of training data whose partition {@code p} holds {@code rowsPerPartition[p]} rows. */
    public static RowAugmentation of(Augmentation augmentation, int[] rowsPerPartition) {
        return augmentation.enabled() ? new RowAugmentation(augmentation, rowsPerPartition.clone()) : NONE;
    }

    public Augmentation augmentation() {
        return augmentation;
    }

    public boolean enabled() {
        return augmentation.enabled();
    }

    /**
     * The global index of {@code block}'s first row, {@code block} being partition {@code partition}; refuses a block
     * whose size is not the one this run was planned with (its rows' indices would be wrong).
     */
    public long firstRow(int partition, DataBlock block) {
        if (partition < 0 || partition >= rowsPerPartition.length || rowsPerPartition[partition] != block.rows()) {
            throw new IllegalStateException("augmentation was planned for partitions of " + Arrays.toString(
                    rowsPerPartition) + " rows, got partition " + partition + " of " + block.rows() + " rows");
        }
        long first = 0;
        for (int p = 0; p < partition; p++) {
            first += rowsPerPartition[p];
        }
        return first;
    }
}
