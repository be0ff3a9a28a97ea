package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.util.List;

/** What the readers' tests look at: a data set's cached blocks brought back to the driver, and their rows. */
final class CollectedBlocks {

    private CollectedBlocks() {
    }

    /** The cached blocks, one per partition, in partition order (released afterwards). */
    static List<DataBlock> collect(CachedBlocks blocks) {
        try {
            return blocks.rdd().collect();
        } finally {
            blocks.release();
        }
    }

    /** All labels of all partitions, in order. */
    static float[] labels(List<DataBlock> blocks) {
        return DataBlock.concat(blocks, blocks.get(0).featureSize()).labels();
    }

    /** All features of all partitions, in order. */
    static float[] features(List<DataBlock> blocks) {
        return DataBlock.concat(blocks, blocks.get(0).featureSize()).features();
    }
}
