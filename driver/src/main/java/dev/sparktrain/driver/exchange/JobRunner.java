package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.OrderedMerge;
import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.util.function.BinaryOperator;
import org.apache.spark.api.java.JavaSparkContext;

/** {@link dev.sparktrain.driver.RoundTransport#JOB}: round inputs are broadcasts, each round is one Spark job. */
final class JobRunner implements RoundRunner {

    private final JavaSparkContext sc;

    JobRunner(JavaSparkContext sc) {
        this.sc = sc;
    }

    @Override
    public <T> RoundInput<T> share(T value) {
        return new RoundInput.Broadcasted<>(sc.broadcast(value));
    }

    @Override
    public void release(RoundInput<?> input) {
        if (input instanceof RoundInput.Broadcasted<?> b) {
            b.broadcast().destroy();
        }
    }

    @Override
    public <R> R run(CachedBlocks data, PartitionTask<DataBlock, R> task, R zero, BinaryOperator<R> merge) {
        return OrderedMerge.run(data.rdd(), task, zero, merge);
    }
}
