package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Moves rows between cached blocks so that partition {@code p} holds rows {@code [total*p/W, total*(p+1)/W)} of
 * the data set in its original order, as the IDX reader splits them. Readers that cut by bytes or keep a
 * DataFrame's partitioning are only about even; this is used when they are not even enough.
 */
public final class Rebalance {

    private Rebalance() {
    }

    /** Whether some partition holds less than 90% of its fair share of rows (or none). */
    public static boolean needed(int[] rows) {
        long total = 0;
        for (int r : rows) {
            total += r;
        }
        long fair = total / rows.length;
        return Arrays.stream(rows).anyMatch(r -> r == 0 || r < fair * 0.9);
    }

    /** The rows of {@code blocks}, one block per partition, spread evenly; not cached. */
    public static JavaRDD<DataBlock> evenly(CachedBlocks blocks) {
        int[] rows = blocks.rowsPerPartition();
        int workers = rows.length;
        long[] starts = new long[workers + 1];
        for (int p = 0; p < workers; p++) {
            starts[p + 1] = starts[p] + rows[p];
        }
        long total = starts[workers];
        int featureSize = blocks.featureSize();
        JavaRDD<Tuple2<Integer, DataBlock>> slices = blocks.rdd().mapPartitionsWithIndex((p, it) -> {
            List<Tuple2<Integer, DataBlock>> out = new ArrayList<>();
            DataBlock block = DataBlock.concat(collect(it), featureSize);
            long from = starts[p];
            for (int t = 0; t < workers; t++) {
                long lo = Math.max(from, total * t / workers);
                long hi = Math.min(from + block.rows(), total * (t + 1) / workers);
                if (lo < hi) {
                    // key: source partition * workers + target; the partitioner sends it to the target
                    out.add(new Tuple2<>(p * workers + t, slice(block, (int) (lo - from), (int) (hi - lo))));
                }
            }
            return out.iterator();
        }, true);
        return JavaPairRDD.fromJavaRDD(slices).partitionBy(new ByTarget(workers)).mapPartitions(it -> {
            List<Tuple2<Integer, DataBlock>> parts = collect(it);
            parts.sort((a, b) -> Integer.compare(a._1(), b._1()));
            List<DataBlock> ordered = new ArrayList<>();
            parts.forEach(t -> ordered.add(t._2()));
            return List.of(ordered.isEmpty() ? DataBlock.empty(featureSize) : DataBlock.concat(ordered, featureSize))
                    .iterator();
        }, true);
    }

    private static DataBlock slice(DataBlock b, int from, int count) {
        int f = b.featureSize();
        return new DataBlock(count, f, Arrays.copyOfRange(b.features(), from * f, (from + count) * f),
                Arrays.copyOfRange(b.labels(), from, from + count));
    }

    private static <T> List<T> collect(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** Key {@code source * workers + target} goes to partition {@code target}. */
    static final class ByTarget extends Partitioner {
        private final int workers;

        ByTarget(int workers) {
            this.workers = workers;
        }

        @Override
        public int numPartitions() {
            return workers;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key % workers;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByTarget b && b.workers == workers;
        }

        @Override
        public int hashCode() {
            return workers;
        }
    }
}
