package dev.sparktrain.driver.exchange;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs one Spark job that applies a {@link PartitionTask} to every partition of an RDD and folds the results into
 * {@code zero} in partition order, whatever order the tasks finish in. Float sums are not associative, so a fixed
 * order is what makes a round bitwise reproducible with any number of partitions ({@code treeAggregate} merges
 * results as they arrive). Results are folded on the driver as soon as their predecessors are in; only early ones
 * are held.
 *
 * <p>The job runs straight on the data RDD with a named function object: Spark's closure cleaner skips those, while
 * a {@code mapPartitions} lambda per round made it parse the capturing classes' bytecode with ASM on every job, most
 * of a small round's Spark overhead (docs/performance.md).
 */
public final class OrderedMerge<R> {

    private final BinaryOperator<R> merge;
    private final Map<Integer, R> early = new HashMap<>();
    private R folded;
    private int next;

    private OrderedMerge(R zero, BinaryOperator<R> merge) {
        this.folded = zero;
        this.merge = merge;
    }

    /**
     * {@code zero} merged with the task's result on partition 0, then on 1, and so on; {@code merge} may change its
     * left side.
     */
    public static <T, R> R run(JavaRDD<T> data, PartitionTask<T, R> task, R zero, BinaryOperator<R> merge) {
        OrderedMerge<R> fold = new OrderedMerge<>(zero, merge);
        @SuppressWarnings("unchecked")
        ClassTag<R> tag = (ClassTag<R>) ClassTag$.MODULE$.AnyRef();
        data.context().runJob(data.rdd(), new TaskFunction<>(task), new AbstractFunction2<Object, R, BoxedUnit>() {
            @Override
            public BoxedUnit apply(Object partition, R result) {
                fold.accept((Integer) partition, result);
                return BoxedUnit.UNIT;
            }
        }, tag);
        if (!fold.early.isEmpty()) {
            throw new IllegalStateException("partitions " + fold.early.keySet() + " arrived, partition " + fold.next
                    + " never did");
        }
        return fold.folded;
    }

    /** Spark calls this from its scheduler thread, one result at a time. */
    private synchronized void accept(int partition, R result) {
        early.put(partition, result);
        for (R r = early.remove(next); r != null; r = early.remove(next)) {
            folded = merge.apply(folded, r);
            next++;
        }
    }

    /** The task as the named function Spark runs on each partition. */
    private static final class TaskFunction<T, R> extends AbstractFunction2<TaskContext, Iterator<T>, R>
            implements java.io.Serializable {

        private static final long serialVersionUID = 1L;
        private final PartitionTask<T, R> task;

        TaskFunction(PartitionTask<T, R> task) {
            this.task = task;
        }

        @Override
        public R apply(TaskContext context, Iterator<T> rows) {
            return task.run(context.partitionId(), CollectionConverters.asJava(rows));
        }
    }
}
