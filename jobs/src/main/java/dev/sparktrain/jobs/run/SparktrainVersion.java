package dev.sparktrain.jobs.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project's version as Maven built it ({@code version.properties}, filtered at build time). */
public final class SparktrainVersion {

    private static final String VERSION = load();

    private SparktrainVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = SparktrainVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
