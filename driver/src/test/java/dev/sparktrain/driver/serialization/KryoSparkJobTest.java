package dev.sparktrain.driver.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.holdenkarau.spark.testing.JavaRDDComparisons;
import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.ps.ParameterSnapshot;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A real local[2] job ships arrays through broadcast, collect and treeAggregate with registration required. */
class KryoSparkJobTest {

    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    @Test
    void configuredSerializerPassesTheStartUpCheck() {
        SerializerCheck.verify(SPARK.sc());
    }

    @Test
    void collectAndTreeAggregateShipArrays() {
        Broadcast<ParameterSnapshot> params = SPARK.sc().broadcast(new ParameterSnapshot(3, new float[] {1f, 2f, 3f}));
        JavaRDD<Integer> seeds = SPARK.sc().parallelize(IntStream.range(0, 8).boxed().collect(Collectors.toList()), 4);

        List<INDArray> collected = seeds.map(i -> Nd4j.valueArrayOf(new long[] {2, 3}, (double) i, DataType.FLOAT)
                .muli(params.value().version())).collect();
        assertEquals(8, collected.size());
        assertEquals(Nd4j.valueArrayOf(new long[] {2, 3}, 21.0, DataType.FLOAT), collected.get(7));

        INDArray zero = Nd4j.zeros(DataType.DOUBLE, 3);
        INDArray sum = seeds.treeAggregate(zero,
                (acc, i) -> acc.add(Nd4j.createFromArray(params.value().params()).castTo(DataType.DOUBLE).mul(i)),
                INDArray::add, 2);
        // sum over i = 0..7 of i * [1, 2, 3] = 28 * [1, 2, 3]
        assertEquals(Nd4j.createFromArray(28.0, 56.0, 84.0), sum);
    }

    @Test
    void arraysShuffledThroughKryoArriveWhole() {
        JavaRDD<Integer> seeds = SPARK.sc().parallelize(IntStream.range(0, 8).boxed().collect(Collectors.toList()), 4);
        // The shuffle serializes every INDArray with the project's Kryo serializer; the sums show what arrived.
        JavaRDD<Double> sums = seeds.map(i -> Nd4j.valueArrayOf(new long[] {2, 3}, (double) i, DataType.FLOAT))
                .repartition(3).map(a -> a.sumNumber().doubleValue());
        JavaRDD<Double> expected = SPARK.sc().parallelize(IntStream.range(0, 8).mapToObj(i -> 6.0 * i)
                .collect(Collectors.toList()), 2);
        JavaRDDComparisons.assertRDDEquals(expected, sums);
    }
}
