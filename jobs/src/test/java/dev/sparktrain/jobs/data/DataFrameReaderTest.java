package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.SparkFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.data.frame.DataFrameReader;
import dev.sparktrain.jobs.run.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFrameReaderTest {

    @TempDir
    Path dir;

    private static SparkSession spark() {
        return SparkSession.builder().sparkContext(SparkFixture.context().sc()).getOrCreate();
    }

    private static Dataset<Row> vectors(int n, double bad) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(i % 2 == 0 ? Vectors.dense(i, i == 2 ? bad : 0.5)
                    : Vectors.sparse(2, new int[] {1}, new double[] {i}), (double) (i % 2)));
        }
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        return spark().createDataFrame(rows, schema);
    }

    @Test
    void readsParquetWithAVectorColumnIntoWorkerBlocks() {
        String path = dir.resolve("train.parquet").toString();
        vectors(6, 0.5).repartition(3).write().parquet(path);
        ReadRequest req = new ReadRequest("train", List.of(TrainingData.absolute(path)), 2,
                LabelSpec.classification(2), 1f);
        List<DataBlock> blocks = CollectedBlocks.collect(TrainingData.read(SparkFixture.context(),
                new DataFrameReader("parquet", "features", "label"), req, null));
        assertEquals(2, blocks.size());
        assertEquals(6, blocks.stream().mapToInt(DataBlock::rows).sum());
        float[] x = CollectedBlocks.features(blocks);
        float[] y = CollectedBlocks.labels(blocks);
        for (int r = 0; r < 6; r++) {
            int i = (int) (y[r] == 0 ? x[2 * r] : x[2 * r + 1]); // the row's own index, wherever it landed
            assertEquals(i % 2, y[r]);
            assertEquals(i % 2 == 0 ? i : 0, x[2 * r]);
            assertEquals(i % 2 == 0 ? 0.5f : i, x[2 * r + 1]);
        }
    }

    @Test
    void readsJsonArraysAndTheDataFrameApi() {
        String path = dir.resolve("j").toString();
        spark().createDataFrame(List.of(RowFactory.create(List.of(1.0, 2.0).toArray(new Double[0]), 1L),
                        RowFactory.create(new Double[] {3.0, 4.0}, 0L)),
                new StructType().add("f", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", DataTypes.LongType))
                .coalesce(1).write().json(path);
        ReadRequest req = new ReadRequest("train", List.of(TrainingData.absolute(path)), 2,
                LabelSpec.regression(), 1f);
        List<DataBlock> blocks = CollectedBlocks.collect(TrainingData.read(SparkFixture.context(),
                new DataFrameReader("json", "f", "y"), req, null));
        float[] x = CollectedBlocks.features(blocks);
        float[] y = CollectedBlocks.labels(blocks);
        assertEquals(2, y.length); // repartitioned from 1 to 2 partitions: order is Spark's
        for (int r = 0; r < 2; r++) {
            assertArrayEquals(y[r] == 1 ? new float[] {1, 2} : new float[] {3, 4}, new float[] {x[2 * r], x[2 * r + 1]});
        }
        List<DataBlock> api = CollectedBlocks.collect(TrainingData.fromDataFrame(vectors(4, 1), "features", "label", 2,
                LabelSpec.classification(2)));
        assertEquals(List.of(2, 2), api.stream().map(DataBlock::rows).toList());
    }

    @Test
    void badRowsAndSchemasAreRefusedWithOneLine() {
        String m = assertThrows(IllegalArgumentException.class, () -> TrainingData.fromDataFrame(vectors(4, Double.NaN),
                "features", "label", 2, LabelSpec.classification(2))).getMessage();
        assertTrue(m.matches("DataFrame \\(partition \\d, row \\d\\): feature 1 is NaN, expected a finite number"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingData.fromDataFrame(vectors(4, 1),
                "label", "features", 2, LabelSpec.classification(2))).getMessage();
        assertEquals("DataFrame: column 'label' is double, expected a Spark ML vector or array<float> or array<double>",
                m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingData.fromDataFrame(vectors(4, 1),
                "features", "target", 2, LabelSpec.classification(2))).getMessage();
        assertEquals("data.label_column 'target' is not a column of DataFrame, which has [features, label]", m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingData.fromDataFrame(vectors(4, 1)
                .withColumn("label", org.apache.spark.sql.functions.lit(5.0)), "features", "label", 2,
                LabelSpec.classification(2))).getMessage();
        assertTrue(m.endsWith("label 5 is not a class index, expected a whole number in [0, 1]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingData.fromDataFrame(vectors(1, 1),
                "features", "label", 2, LabelSpec.classification(2))).getMessage();
        assertEquals("DataFrame: 1 rows cannot feed 2 workers (training.workers); use fewer workers or more data", m);
        m = assertThrows(IllegalArgumentException.class, () -> TrainingData.fromDataFrame(vectors(0, 1),
                "features", "label", 2, LabelSpec.classification(2))).getMessage();
        assertEquals("DataFrame: the data set is empty", m);
    }
}
