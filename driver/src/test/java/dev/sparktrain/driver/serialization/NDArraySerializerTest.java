package dev.sparktrain.driver.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import dev.sparktrain.ps.ParameterSnapshot;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import dev.sparktrain.driver.SparkFixture;

/** Round trips through Spark's Kryo serializer configured as the trainer runs it (registration required). */
class NDArraySerializerTest {

    private static SerializerInstance kryo;

    @BeforeAll
    static void serializer() {
        SparkConf conf = SparktrainSparkConf.applyDefaults(SparkFixture.bareConf("kryo-test", Map.of()));
        kryo = new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
        ByteBuffer bytes = kryo.serialize(value, tag);
        return (T) kryo.deserialize(bytes, tag);
    }

    private static void assertSameArray(INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected.isEmpty(), actual.isEmpty());
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT", "HALF", "BFLOAT16", "LONG", "INT", "SHORT",
            "BYTE", "UBYTE", "UINT16", "UINT32", "UINT64", "BOOL"})
    void everyNumericDtype(DataType dtype) {
        INDArray a = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(2, 3, 4).castTo(dtype);
        INDArray back = roundTrip(a);
        assertSameArray(a, back);
        assertEquals('c', back.ordering());
    }

    @Test
    void ranksZeroToFive() {
        for (int rank = 0; rank <= 5; rank++) {
            long[] shape = new long[rank];
            java.util.Arrays.fill(shape, 2);
            INDArray a = Nd4j.rand(DataType.FLOAT, shape);
            assertSameArray(a, roundTrip(a));
        }
    }

    @Test
    void fOrderKeepsItsOrder() {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 'f', 3L, 5L);
        INDArray back = roundTrip(a);
        assertSameArray(a, back);
        assertEquals('f', back.ordering());
    }

    @Test
    void viewsShipOnlyTheirElements() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 100, 100);
        INDArray rows = big.get(NDArrayIndex.interval(10, 12), NDArrayIndex.all());
        INDArray column = big.getColumn(7);
        INDArray strided = big.get(NDArrayIndex.interval(0, 2, 20), NDArrayIndex.interval(5, 3, 50));
        INDArray transposed = big.transpose();
        for (INDArray view : List.of(rows, column, strided, transposed, big.permute(1, 0).reshape('f', 50, 200))) {
            assertSameArray(view, roundTrip(view));
        }
        int full = kryo.serialize(big, ClassTag$.MODULE$.AnyRef()).remaining();
        int twoRows = kryo.serialize(rows, ClassTag$.MODULE$.AnyRef()).remaining();
        assertTrue(twoRows < full / 40, "two rows took " + twoRows + " bytes, the whole array " + full);
    }

    @Test
    void scalarAndEmpty() {
        assertSameArray(Nd4j.scalar(2.5f), roundTrip(Nd4j.scalar(2.5f)));
        assertSameArray(Nd4j.scalar(7L), roundTrip(Nd4j.scalar(7L)));
        for (INDArray empty : List.of(Nd4j.empty(DataType.FLOAT), Nd4j.create(DataType.INT32, 0, 3),
                Nd4j.create(DataType.DOUBLE, new long[] {4, 0}, 'f'))) {
            INDArray back = roundTrip(empty);
            assertTrue(back.isEmpty());
            assertEquals(empty.dataType(), back.dataType());
            assertArrayEquals(empty.shape(), back.shape());
        }
    }

    @Test
    void utf8Strings() {
        INDArray s = Nd4j.create(List.of("a", "bcd", "", "grüße"), new long[] {2, 2}, 'c');
        INDArray back = roundTrip(s);
        assertEquals(DataType.UTF8, back.dataType());
        assertArrayEquals(s.shape(), back.shape());
        for (int i = 0; i < 4; i++) {
            assertEquals(s.getString(i), back.getString(i));
        }
    }

    @Test
    void largeArrayAcrossManyChunks() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 1_000_003);
        assertSameArray(a, roundTrip(a));
    }

    @Test
    void parameterSnapshotRecord() {
        ParameterSnapshot s = new ParameterSnapshot(42, new float[] {1f, -2f, 3.5f});
        ParameterSnapshot back = roundTrip(s);
        assertEquals(42, back.version());
        assertArrayEquals(s.params(), back.params());
    }

    @Test
    void unregisteredClassesAreRejectedNotJavaSerialized() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> roundTrip(new java.util.concurrent.atomic.AtomicLong(1)));
        assertTrue(String.valueOf(e.getMessage()).contains("not registered"), e.toString());
    }

    @Test
    void arraysInsideArrays() {
        INDArray[] pair = {Nd4j.rand(DataType.FLOAT, 3), Nd4j.rand(DataType.DOUBLE, 2, 2)};
        INDArray[] back = roundTrip(pair);
        assertSameArray(pair[0], back[0]);
        assertSameArray(pair[1], back[1]);
    }
}
