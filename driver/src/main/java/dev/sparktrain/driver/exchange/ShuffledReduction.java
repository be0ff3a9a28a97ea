package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.DataBlock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The {@code tree} exchange of one Spark job per round: the round's results are summed on the executors and the
 * driver receives one sum, whatever the number of workers. Each task cuts its result into as many pieces as there
 * are partitions ({@link RoundSums#split}); a shuffle sends piece k of every result to reducer k, which merges them in
 * partition order and returns one piece of the sum; the driver joins the pieces ({@link RoundSums#join}). A piece's
 * elements are merged in the same order as the whole results would be, so the sum is bitwise the star's. Like
 * {@code treeAggregate}, the reduction runs as a shuffle stage that Spark retries as it retries any stage, and its
 * tasks are pure, so a lost executor costs time and never changes the sum.
 */
final class ShuffledReduction {

    private ShuffledReduction() {
    }

    /** {@code task}'s replies on every partition of {@code data}, merged in partition order. */
    static JobSession.Reply run(JavaRDD<DataBlock> data, PartitionTask<DataBlock, JobSession.Reply> task) {
        int parts = data.getNumPartitions();
        JavaPairRDD<Integer, Tuple2<Integer, JobSession.Reply>> pieces = JavaPairRDD.fromJavaRDD(
                data.mapPartitionsWithIndex(new Split(task, parts), false)).partitionBy(new HashPartitioner(parts));
        List<JobSession.Reply> reduced = OrderedMerge.run(pieces.values(), new Fold(), new ArrayList<>(),
                (list, piece) -> {
                    list.addAll(piece);
                    return list;
                });
        if (reduced.size() != parts) {
            throw new IllegalStateException("expected " + parts + " pieces of the round's sum, got " + reduced.size());
        }
        return JobSession.Reply.join(reduced);
    }

    /** Runs the task on one partition and cuts its reply into pieces keyed by the reducer that sums them. */
    private static final class Split implements
            org.apache.spark.api.java.function.Function2<Integer, Iterator<DataBlock>,
                    Iterator<Tuple2<Integer, Tuple2<Integer, JobSession.Reply>>>> {
        private static final long serialVersionUID = 1L;
        private final PartitionTask<DataBlock, JobSession.Reply> task;
        private final int parts;

        Split(PartitionTask<DataBlock, JobSession.Reply> task, int parts) {
            this.task = task;
            this.parts = parts;
        }

        @Override
        public Iterator<Tuple2<Integer, Tuple2<Integer, JobSession.Reply>>> call(Integer partition,
                                                                                Iterator<DataBlock> rows) {
            List<JobSession.Reply> pieces = task.run(partition, rows).split(parts);
            List<Tuple2<Integer, Tuple2<Integer, JobSession.Reply>>> out = new ArrayList<>(parts);
            for (int k = 0; k < parts; k++) {
                out.add(new Tuple2<>(k, new Tuple2<>(partition, pieces.get(k))));
            }
            return out.iterator();
        }
    }

    /** A reducer: its pieces of every partition's reply, merged in partition order. */
    private static final class Fold
            implements PartitionTask<Tuple2<Integer, JobSession.Reply>, List<JobSession.Reply>> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<JobSession.Reply> run(int reducer, Iterator<Tuple2<Integer, JobSession.Reply>> pieces) {
            Map<Integer, JobSession.Reply> byPartition = new TreeMap<>();
            pieces.forEachRemaining(piece -> {
                if (byPartition.put(piece._1(), piece._2()) != null) {
                    throw new IllegalStateException("reducer " + reducer + " got partition " + piece._1() + " twice");
                }
            });
            JobSession.Reply folded = JobSession.Reply.empty();
            byPartition.values().forEach(folded::merge);
            List<JobSession.Reply> one = new ArrayList<>(1);
            one.add(folded);
            return one;
        }
    }
}
