package dev.sparktrain.driver.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sparktrain.driver.cluster.ExecutorLossListener;
import dev.sparktrain.ops.runtime.BlasRuntime;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparktrainSparkConfTest {

    @Test
    void fillsEveryDefaultOnAnEmptyConf() {
        SparkConf conf = SparktrainSparkConf.applyDefaults(new SparkConf(false));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        assertEquals(SparktrainKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
        assertEquals("true", conf.get("spark.kryo.registrationRequired"));
        assertEquals(ExecutorLossListener.class.getName(), conf.get("spark.extraListeners"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("1", conf.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
        assertEquals("false", conf.get("spark.broadcast.compress"));
        assertEquals("128m", conf.get("spark.task.maxDirectResultSize"));
        assertEquals(BlasRuntime.recommendedCoreType(),
                conf.getOption("spark.executorEnv.OPENBLAS_CORETYPE").map(java.util.Optional::of)
                        .getOrElse(java.util.Optional::empty));
    }

    @Test
    void userSettingsWin() {
        SparkConf conf = SparktrainSparkConf.applyDefaults(new SparkConf(false)
                .set("spark.kryo.registrationRequired", "false")
                .set("spark.executorEnv.OPENBLAS_CORETYPE", "HASWELL")
                .set("spark.executorEnv.OMP_NUM_THREADS", "4")
                .set("spark.broadcast.compress", "true"));
        assertEquals("true", conf.get("spark.broadcast.compress"));
        assertEquals("false", conf.get("spark.kryo.registrationRequired"));
        assertEquals("HASWELL", conf.get("spark.executorEnv.OPENBLAS_CORETYPE"));
        assertEquals("4", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("1", conf.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
    }

    @Test
    void threadsFollowTheCoresOfOneTask() {
        SparkConf conf = SparktrainSparkConf.applyDefaults(new SparkConf(false)
                .set("spark.executor.cores", "4").set("spark.task.cpus", "2"));
        assertEquals("2", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("2", conf.get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
    }

    @Test
    void userRegistratorIsKeptAndOursAppendedOnce() {
        SparkConf conf = new SparkConf(false).set("spark.kryo.registrator", "com.example.Mine");
        SparktrainSparkConf.applyDefaults(conf);
        SparktrainSparkConf.applyDefaults(conf);
        assertEquals("com.example.Mine," + SparktrainKryoRegistrator.class.getName(),
                conf.get("spark.kryo.registrator"));
        assertFalse(conf.get("spark.kryo.registrator").contains(",,"));
    }

    @Test
    void userListenersAreKeptAndTheExecutorLossListenerAppendedOnce() {
        SparkConf conf = new SparkConf(false).set("spark.extraListeners", "com.example.Watch");
        SparktrainSparkConf.applyDefaults(conf);
        SparktrainSparkConf.applyDefaults(conf);
        assertEquals("com.example.Watch," + ExecutorLossListener.class.getName(), conf.get("spark.extraListeners"));
    }
}
