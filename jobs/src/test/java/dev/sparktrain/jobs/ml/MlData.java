package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.SparkFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small learnable DataFrames with plain numeric columns x1..xN (for VectorAssembler), an id and a label. */
final class MlData {

    private MlData() {
    }

    /**
     * {@code classes} Gaussian blobs in 4 dimensions: class k is centred at 2·e_k (k = 0..3), noise σ = 0.6, so the
     * classes overlap a little (a perfect score is not expected).
     */
    static Dataset<Row> blobs(int rows, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int label = random.nextInt(classes);
            Object[] values = new Object[6];
            values[0] = (long) i;
            for (int d = 0; d < 4; d++) {
                values[1 + d] = (d == label ? 2.0 : 0.0) + 0.6 * gaussian(random);
            }
            values[5] = label;
            out.add(RowFactory.create(values));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType);
        for (int d = 1; d <= 4; d++) {
            schema = schema.add("x" + d, DataTypes.DoubleType);
        }
        return session().createDataFrame(out, schema.add("label", DataTypes.IntegerType));
    }

    /** y = 2·x1 − x2 + sin(3·x3) + N(0, 0.05²) with x uniform in [−1, 1]³. */
    static Dataset<Row> curve(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextDouble(-1, 1);
            double x2 = random.nextDouble(-1, 1);
            double x3 = random.nextDouble(-1, 1);
            double y = 2 * x1 - x2 + Math.sin(3 * x3) + 0.05 * gaussian(random);
            out.add(RowFactory.create((long) i, x1, x2, x3, y));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("x1", DataTypes.DoubleType)
                .add("x2", DataTypes.DoubleType).add("x3", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
        return session().createDataFrame(out, schema);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static SparkSession session() {
        return SparkSession.builder().sparkContext(SparkFixture.context().sc()).getOrCreate();
    }
}
