package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.driver.SparkContextExtension;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Results are folded in partition order, not in the order tasks finish (which is what treeAggregate does). */
class OrderedMergeTest {

    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    private static JavaRDD<Integer> partitions(int count) {
        return SPARK.sc().parallelize(List.of(0, 1, 2, 3, 4, 5), count);
    }

    /** Partition p's result is "p;", after {@code delayMillis[p]}; concatenation is not commutative. */
    private static PartitionTask<Integer, String> delayed(long... delayMillis) {
        return (p, rows) -> {
            try {
                Thread.sleep(delayMillis[p]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return p + ";";
        };
    }

    @Test
    void foldsInPartitionOrderWhenTheFirstPartitionFinishesLast() {
        // On local[2] partition 1 and then 2 and 3 finish while partition 0 sleeps.
        assertEquals("start;0;1;2;3;", OrderedMerge.run(partitions(4), delayed(1500, 0, 0, 0), "start;",
                String::concat));
    }

    @Test
    void foldsInPartitionOrderWhenTasksFinishInReverse() {
        assertEquals("0;1;2;", OrderedMerge.run(partitions(3), delayed(900, 450, 0), "", String::concat));
    }

    @Test
    void anEmptyRddLeavesTheZero() {
        assertEquals("zero", OrderedMerge.run(SPARK.sc().<Integer>emptyRDD(), delayed(), "zero", String::concat));
    }

    @Test
    void eachTaskSeesItsOwnPartitionsRows() {
        PartitionTask<Integer, String> rows = (p, it) -> {
            StringBuilder b = new StringBuilder(p + ":");
            it.forEachRemaining(b::append);
            return b.append(';').toString();
        };
        assertEquals("0:012;1:345;", OrderedMerge.run(partitions(2), rows, "", String::concat));
    }
}
