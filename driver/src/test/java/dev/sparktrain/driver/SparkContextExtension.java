package dev.sparktrain.driver;

import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's {@link SparkFixture} context, as a JUnit 5 extension declared in one line:
 * <pre>{@code @RegisterExtension static final SparkContextExtension SPARK = new SparkContextExtension();}</pre>
 * It starts (or reuses) the shared context before the class's {@code @BeforeAll} methods, so they may cache data on
 * {@link #sc()}, and stops it after the class's {@code @AfterAll} methods. Settings over the project's defaults go to
 * the constructor; a class whose subclasses run its tests on other settings implements {@link Settings} instead and
 * runs {@code @TestInstance(PER_CLASS)}, so the instance that runs the tests supplies them.
 */
public final class SparkContextExtension implements BeforeAllCallback, AfterAllCallback {

    /** A test class that chooses its context's settings itself (subclasses override them). */
    public interface Settings {
        Map<String, String> sparkSettings();
    }

    private final Map<String, String> settings;
    private JavaSparkContext sc;

    /** The project's defaults, or the test instance's {@link Settings}. */
    public SparkContextExtension() {
        this(Map.of());
    }

    /** {@code settings} over the project's defaults. */
    public SparkContextExtension(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Map<String, String> chosen = settings;
        if (Settings.class.isAssignableFrom(context.getRequiredTestClass())) {
            if (!settings.isEmpty()) {
                throw new IllegalStateException(context.getDisplayName() + " gives Spark settings twice: to the"
                        + " extension and as " + Settings.class.getSimpleName());
            }
            chosen = ((Settings) context.getTestInstance().orElseThrow(() -> new IllegalStateException(
                    context.getDisplayName() + " supplies Spark settings from its instance: it needs"
                            + " @TestInstance(PER_CLASS)"))).sparkSettings();
        }
        sc = SparkFixture.context(chosen);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sc = null;
        SparkFixture.stop();
    }

    /** The running context (from the class's {@code @BeforeAll} methods until its {@code @AfterAll} methods end). */
    public JavaSparkContext sc() {
        if (sc == null) {
            throw new IllegalStateException("no Spark context: the class's tests have not started or have ended");
        }
        return sc;
    }
}
