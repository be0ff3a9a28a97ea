package dev.sparktrain.jobs.bench.scale;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.util.Arrays;
import org.apache.spark.storage.StorageLevel;

/**
 * Training blocks sized for an exact number of rounds: every partition cut, or repeated, to {@code rows} rows. A scale
 * run measures a fixed number of rounds whatever the worker count and mode (a round of {@code sync} uses one batch
 * per worker, one of {@code average}/{@code outer} H batches), so 8 workers do not get 8 times fewer rounds than one;
 * repeating rows changes what is learnt, not what a round costs.
 */
public final class FixedRounds {

    private FixedRounds() {
    }

    /** Rows each partition needs for {@code rounds} rounds of {@code batch} rows x {@code stepsPerRound} steps. */
    public static int rowsFor(int rounds, int batch, int stepsPerRound) {
        return Math.multiplyExact(Math.multiplyExact(rounds, batch), stepsPerRound);
    }

    /** {@code source}'s blocks, each cut or repeated to {@code rows} rows, cached again. */
    public static CachedBlocks of(CachedBlocks source, int rows) {
        int featureSize = source.featureSize();
        var blocks = source.rdd().map(b -> resize(b, rows)).setName("scale blocks of " + rows + " rows")
                .persist(StorageLevel.MEMORY_AND_DISK());
        int[] counts = new int[source.rowsPerPartition().length];
        Arrays.fill(counts, rows);
        blocks.count(); // cached before the timed rounds
        return new CachedBlocks(blocks, counts, featureSize);
    }

    static DataBlock resize(DataBlock block, int rows) {
        if (block.rows() == 0) {
            throw new IllegalArgumentException("a scale run needs rows in every partition; one has none");
        }
        int fs = block.featureSize();
        float[] features = new float[Math.multiplyExact(rows, fs)];
        float[] labels = new float[rows];
        for (int at = 0; at < rows; at += block.rows()) {
            int n = Math.min(block.rows(), rows - at);
            System.arraycopy(block.features(), 0, features, at * fs, n * fs);
            System.arraycopy(block.labels(), 0, labels, at, n);
        }
        return new DataBlock(rows, fs, features, labels);
    }
}
