package dev.sparktrain.driver;

import com.holdenkarau.spark.testing.SharedJavaSparkContext;
import dev.sparktrain.driver.serialization.SparktrainSparkConf;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The tests' one local Spark context, on spark-testing-base's {@link SharedJavaSparkContext}: {@code local[2]} with
 * the project's settings (Kryo, registrator, registration required), bound to 127.0.0.1 without UI, so tests open no
 * outside ports. Its JUnit 4 hooks do not run under JUnit 5: {@link #context} calls {@code runBefore()} and
 * {@link #stop} {@code runAfterClass()}. A JVM runs one context at a time: asking for other settings, or for a context
 * after something stopped it (a CLI command ends its own), starts a new one.
 */
public final class SparkFixture extends SharedJavaSparkContext {

    /** The settings the running context was started with. */
    private static Map<String, String> running;

    private final String appName;
    private final Map<String, String> settings;

    private SparkFixture(String appName, Map<String, String> settings) {
        this.appName = appName;
        this.settings = settings;
    }

    @Override
    public SparkConf conf() {
        return SparktrainSparkConf.applyDefaults(bareConf(appName, settings));
    }

    /** The shared context with the project's defaults, started if none runs. */
    public static JavaSparkContext context() {
        return context(Map.of());
    }

    /** The shared context with {@code settings} over the project's defaults, started if none runs with them. */
    public static synchronized JavaSparkContext context(Map<String, String> settings) {
        SparkFixture fixture = new SparkFixture("sparktrain tests", settings);
        JavaSparkContext sc = fixture.jsc();
        if (sc != null && (sc.sc().isStopped() || !Objects.equals(running, settings))) {
            stop();
        }
        fixture.runBefore();
        running = settings;
        return fixture.jsc();
    }

    /** Stops the shared context, if one runs: before a CLI command starts its own, or when a class needs a fresh one. */
    public static synchronized void stop() {
        runAfterClass();
        running = null;
    }

    /** {@code local[2]} with only test plumbing and {@code settings}: no project defaults (for misconfiguration tests). */
    public static SparkConf bareConf(String appName, Map<String, String> settings) {
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "2");
        settings.forEach(conf::set);
        return conf;
    }
}
