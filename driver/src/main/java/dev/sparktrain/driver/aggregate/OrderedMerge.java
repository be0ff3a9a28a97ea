package dev.sparktrain.driver.aggregate;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.apache.spark.api.java.JavaRDD;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs one Spark job over an RDD holding one result per partition and folds the results into {@code zero} in
 * partition order, whatever order the tasks finish in. Float sums are not associative, so a fixed order is what
 * makes a round bitwise reproducible with any number of partitions ({@code treeAggregate} merges results as they
 * arrive). Results are folded on the driver as soon as their predecessors are in; only early ones are held.
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

    /** {@code zero} merged with partition 0's result, then 1's, and so on; {@code merge} may change its left side. */
    public static <R> R run(JavaRDD<R> onePerPartition, R zero, BinaryOperator<R> merge) {
        OrderedMerge<R> fold = new OrderedMerge<>(zero, merge);
        @SuppressWarnings("unchecked")
        ClassTag<R> tag = (ClassTag<R>) ClassTag$.MODULE$.AnyRef();
        onePerPartition.context().runJob(onePerPartition.rdd(), new OnlyElement<R>(), new AbstractFunction2<Object, R,
                BoxedUnit>() {
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

    /** A partition's single result (the tasks here return exactly one). */
    private static final class OnlyElement<R> extends AbstractFunction1<Iterator<R>, R>
            implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        @Override
        public R apply(Iterator<R> results) {
            R only = results.next();
            if (results.hasNext()) {
                throw new IllegalStateException("a task returned more than one result");
            }
            return only;
        }
    }
}
