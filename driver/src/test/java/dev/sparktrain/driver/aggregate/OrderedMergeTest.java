package dev.sparktrain.driver.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.driver.LocalSpark;
import java.lang.invoke.MethodHandles;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Results are folded in partition order, not in the order tasks finish (which is what treeAggregate does). */
class OrderedMergeTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(MethodHandles.lookup().lookupClass().getSimpleName());
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Partition i's result is "i;", after {@code delayMillis[i]}; concatenation is not commutative. */
    private static JavaRDD<String> results(long... delayMillis) {
        return sc.parallelize(List.of(0, 1, 2, 3, 4, 5), delayMillis.length).mapPartitionsWithIndex((p, rows) -> {
            Thread.sleep(delayMillis[p]);
            return List.of(p + ";").iterator();
        }, true);
    }

    @Test
    void foldsInPartitionOrderWhenTheFirstPartitionFinishesLast() {
        // On local[2] partition 1 and then 2 and 3 finish while partition 0 sleeps.
        assertEquals("start;0;1;2;3;", OrderedMerge.run(results(1500, 0, 0, 0), "start;", String::concat));
    }

    @Test
    void foldsInPartitionOrderWhenTasksFinishInReverse() {
        assertEquals("0;1;2;", OrderedMerge.run(results(900, 450, 0), "", String::concat));
    }

    @Test
    void anEmptyRddLeavesTheZero() {
        assertEquals("zero", OrderedMerge.run(sc.<String>emptyRDD(), "zero", String::concat));
    }
}
