package dev.sparktrain.driver.serialization;

import java.util.List;

import com.esotericsoftware.kryo.Kryo;
import dev.sparktrain.ps.ParameterSnapshot;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Registers every class the trainer ships between JVMs, so Spark can run with
 * {@code spark.kryo.registrationRequired=true}: nothing silently falls back to Java serialization or writes full
 * class names into every record.
 *
 * <p>Records get {@link RecordSerializer} (Kryo 4 cannot serialize records by itself), INDArrays get
 * {@link NDArraySerializer}, everything else Kryo's default for its type. Enable it with
 * {@code spark.kryo.registrator=dev.sparktrain.driver.serialization.SparktrainKryoRegistrator}, or let
 * {@link SparktrainSparkConf#applyDefaults} do it.
 */
public final class SparktrainKryoRegistrator implements KryoRegistrator {

    // ======================================================================================================
    // THE LIST: every class shipped between driver and executors (broadcasts, task results, cached blocks).
    // Add new classes HERE. Records are handled automatically; a component type must be in the list as well.
    // ======================================================================================================
    static final List<Class<?>> SHIPPED = List.of(
            ParameterSnapshot.class,
            dev.sparktrain.driver.data.DataBlock.class,
            dev.sparktrain.driver.aggregate.RoundSums.class,
            dev.sparktrain.driver.modes.RoundPlan.class,
            dev.sparktrain.driver.exchange.JobSession.Shared.class,
            dev.sparktrain.driver.exchange.JobSession.Reply.class,
            dev.sparktrain.driver.aggregate.TaskStats.class,
            dev.sparktrain.driver.aggregate.WirePrecision.class,
            dev.sparktrain.driver.eval.EvaluationSum.class,
            dev.sparktrain.driver.modes.InnerState.class,
            java.util.LinkedHashMap.class,
            java.util.ArrayList.class,
            java.util.HashMap.class,
            float[].class, double[].class, long[].class, int[].class, short[].class, byte[].class,
            boolean[].class, char[].class, float[][].class, double[][].class, String[].class, Object[].class,
            INDArray[].class);

    /** The ND4J array classes of the CPU and CUDA backends; whichever is on the classpath gets registered. */
    static final List<String> NDARRAY_CLASSES = List.of(
            "org.nd4j.linalg.cpu.nativecpu.NDArray",
            "org.nd4j.linalg.jcublas.JCublasNDArray");

    /**
     * Spark SQL / ML classes that Spark's own schema inference sends back from tasks (reading Parquet or JSON) and
     * that Spark ML's evaluators aggregate (a pipeline scored with RegressionEvaluator or
     * BinaryClassificationEvaluator); registered when spark-sql / spark-mllib are on the classpath (the driver
     * module itself needs only Spark core).
     */
    static final List<String> SPARK_SQL_CLASSES = List.of(
            "org.apache.spark.sql.types.ArrayType",
            "org.apache.spark.ml.linalg.VectorUDT",
            "org.apache.spark.ml.stat.SummarizerBuffer",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMax$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMin$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeNNZ$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Count$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Max$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Min$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$NumNonZeros$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Std$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Sum$",
            "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$",
            "org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter",
            "[Lorg.apache.spark.mllib.evaluation.binary.BinaryLabelCounter;");

    @Override
    public void registerClasses(Kryo kryo) {
        for (String name : SPARK_SQL_CLASSES) {
            Class<?> type = load(kryo, name);
            if (type != null) {
                kryo.register(type);
            }
        }
        NDArraySerializer arrays = new NDArraySerializer();
        kryo.addDefaultSerializer(INDArray.class, arrays);
        for (String name : NDARRAY_CLASSES) {
            Class<?> type = load(kryo, name);
            if (type != null) {
                kryo.register(type, arrays);
            }
        }
        for (Class<?> type : SHIPPED) {
            register(kryo, type);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(Kryo kryo, Class<?> type) {
        if (type.isRecord()) {
            kryo.register(type, new RecordSerializer(type));
        } else {
            kryo.register(type);
        }
    }

    /** Loads without initialising, so registering does not start the ND4J backend. */
    private static Class<?> load(Kryo kryo, String name) {
        try {
            return Class.forName(name, false, kryo.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
