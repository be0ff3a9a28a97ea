package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.serialization.SparktrainSparkConf;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} Spark context for the library-level tests, with the project's settings (Kryo, registrator,
 * registration required), bound to 127.0.0.1 without UI. Started on first use, shared by the test classes of this
 * JVM, stopped when the JVM exits or when a CLI test needs to start its own (a JVM runs one context at a time).
 */
public final class TestSpark {

    private static JavaSparkContext sc;

    private TestSpark() {
    }

    public static synchronized JavaSparkContext context() {
        if (sc == null || sc.sc().isStopped()) {
            SparkConf conf = new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("sparktrain data tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "2");
            JavaSparkContext started = new JavaSparkContext(SparktrainSparkConf.applyDefaults(conf));
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
            sc = started;
        }
        return sc;
    }

    /** A Spark SQL session on {@link #context()}. */
    public static SparkSession session() {
        return SparkSession.builder().sparkContext(context().sc()).getOrCreate();
    }

    /** Stops the shared context if it runs, so that a CLI command can start its own; the next use restarts it. */
    public static synchronized void stop() {
        if (sc != null) {
            sc.stop();
            sc = null;
        }
    }

    /** The cached blocks, one per partition, in partition order (released afterwards). */
    static List<DataBlock> collect(CachedBlocks blocks) {
        try {
            return blocks.rdd().collect();
        } finally {
            blocks.release();
        }
    }

    /** All labels of all partitions, in order. */
    static float[] labels(List<DataBlock> blocks) {
        return DataBlock.concat(blocks, blocks.get(0).featureSize()).labels();
    }

    /** All features of all partitions, in order. */
    static float[] features(List<DataBlock> blocks) {
        return DataBlock.concat(blocks, blocks.get(0).featureSize()).features();
    }
}
