package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.serialization.SerializerCheck;
import dev.sparktrain.driver.serialization.SparktrainSparkConf;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.SparkMaster;
import dev.sparktrain.ops.runtime.BlasRuntime;
import dev.sparktrain.ops.runtime.BlasStatus;
import java.io.PrintStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Spark for a run. Under spark-submit the master and settings come from spark-submit; run directly, the
 * master is the config's {@code spark.master} or {@code local[workers]}. Either way the project's defaults fill
 * what the user left unset, a standalone master must answer before Spark starts, and the serializer is checked
 * before any task runs.
 *
 * <p>The BLAS line goes to stdout with the run's other header lines; a BLAS warning waits until the command has
 * read its data ({@link #inputsAccepted()}), so a run that bad input stops prints nothing but its error line.
 */
final class SparkSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);
    private static String pendingWarning;

    private SparkSessions() {
    }

    static JavaSparkContext start(RunConfig run, PrintStream out) {
        SparkConf conf = new SparkConf().setAppName("sparktrain " + run.name());
        if (run.sparkMaster() != null) {
            conf.setMaster(run.sparkMaster());
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + run.training().workers() + "]");
        }
        checkMaster(run);
        BlasStatus blas = BlasRuntime.status();
        out.println(blas.summary());
        pendingWarning = blas.warning().orElse(null);
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        JavaSparkContext sc = new JavaSparkContext(SparktrainSparkConf.applyDefaults(conf));
        try {
            SerializerCheck.verify(sc);
        } catch (RuntimeException e) {
            sc.stop();
            throw e;
        }
        return sc;
    }

    /** Throws unless a standalone master ({@code spark://}) accepts a connection; other masters are Spark's. */
    static void checkMaster(RunConfig run) {
        String master = run.sparkMaster() != null ? run.sparkMaster() : new SparkConf().get("spark.master", null);
        SparkMaster.checkReachable(run.sparkMaster() != null ? "spark.master" : "--master", master);
    }

    /** Logs what {@link #start} held back, once the command's inputs have been read without error. */
    static void inputsAccepted() {
        if (pendingWarning != null) {
            LOG.warn(pendingWarning);
            pendingWarning = null;
        }
    }
}
