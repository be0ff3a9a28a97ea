package dev.sparktrain.driver.serialization;

import java.util.Arrays;

import dev.sparktrain.driver.cluster.ExecutorLossListener;
import dev.sparktrain.ops.runtime.BlasRuntime;
import org.apache.spark.SparkConf;

/**
 * The project's Spark settings, filled in where the user has not chosen otherwise.
 *
 * <p>Why: the trainer ships ND4J arrays and records on every round, so Kryo with our registrator is not optional;
 * and executors only get OpenBLAS's fast kernels if {@code OPENBLAS_CORETYPE} is in their environment before ND4J
 * loads, which Spark can only arrange through {@code spark.executorEnv.*}. Users should not have to know either.
 */
public final class SparktrainSparkConf {

    public static final String KRYO_SERIALIZER = "org.apache.spark.serializer.KryoSerializer";
    public static final String REGISTRATOR = SparktrainKryoRegistrator.class.getName();
    public static final String LOSS_LISTENER = ExecutorLossListener.class.getName();

    private SparktrainSparkConf() {
    }

    /**
     * Sets, in place, every default the user left unset, and returns the same {@code conf}:
     * <ul>
     *   <li>{@code spark.serializer} = Kryo; {@code spark.kryo.registrationRequired} = true;</li>
     *   <li>{@code spark.kryo.registrator} = ours; a user's own registrator list is kept and ours appended;</li>
     *   <li>{@code spark.extraListeners} gets {@link ExecutorLossListener} appended (a user's listeners are kept), so
     *       a run on a cluster says when it loses an executor and what it continues on;</li>
     *   <li>{@code spark.executorEnv.OPENBLAS_CORETYPE} = what the driver's CPU flags call for (so executors are
     *       assumed to have the driver's CPU generation; set it yourself on mixed clusters), nothing when the CPU
     *       has neither AVX2 nor AVX-512;</li>
     *   <li>{@code spark.executorEnv.OMP_NUM_THREADS} and {@code .OPENBLAS_NUM_THREADS} = the cores one task owns
     *       ({@code spark.task.cpus}, default 1). An executor runs {@code spark.executor.cores / spark.task.cpus}
     *       tasks at once and each native call spawns its own thread team, so this fills exactly the executor's
     *       cores; one thread per task core avoids ND4J's OpenMP pool and OpenBLAS's threads contending.</li>
     *   <li>{@code spark.broadcast.compress} = false: every round broadcasts the parameters (and in the local-step
     *       modes the optimizer state), float noise that LZ4 cannot shrink, so compressing only costs time;</li>
     *   <li>{@code spark.task.maxDirectResultSize} = 128m: task results (a gradient or parameter vector and its
     *       state, several MB) go back in the status message instead of a round trip through the block manager.</li>
     * </ul>
     * The last two measured +5% ({@code sync}) and +12% ({@code average}) samples/s on the Fashion MLP
     * (docs/performance.md). A user's explicit choice is never overwritten. Does nothing for the driver JVM's own
     * environment: that must be set before it starts ({@code bin/blas-env}).
     */
    public static SparkConf applyDefaults(SparkConf conf) {
        conf.setIfMissing("spark.serializer", KRYO_SERIALIZER);
        conf.setIfMissing("spark.kryo.registrationRequired", "true");
        appendToList(conf, "spark.kryo.registrator", REGISTRATOR);
        appendToList(conf, "spark.extraListeners", LOSS_LISTENER);
        BlasRuntime.recommendedCoreType()
                .ifPresent(core -> conf.setIfMissing("spark.executorEnv.OPENBLAS_CORETYPE", core));
        String threads = conf.get("spark.task.cpus", "1").trim();
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", threads);
        conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", threads);
        conf.setIfMissing("spark.broadcast.compress", "false");
        conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
        return conf;
    }

    /** Adds {@code className} to the comma-separated list under {@code key} unless it is there already. */
    private static void appendToList(SparkConf conf, String key, String className) {
        String list = conf.get(key, "").trim();
        if (list.isEmpty()) {
            conf.set(key, className);
        } else if (Arrays.stream(list.split(",")).map(String::trim).noneMatch(className::equals)) {
            conf.set(key, list + "," + className);
        }
    }
}
