package dev.sparktrain.driver.inprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The in-process trainer is the library's training API without Spark: it runs in a JVM whose class path has no Spark
 * or Scala jar at all, and gives the parameters pinned for Spark runs of the same config ({@code PinnedResultsTest},
 * "average keep").
 */
class InProcessWithoutSparkTest {

    @Test
    void trainsInAJvmWithoutSparkOnTheClassPathAndGivesSparksParameters() throws Exception {
        List<String> kept = Arrays.stream(System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(entry -> !entry.contains("/org/apache/spark/") && !entry.contains("/org/scala-lang/")
                        && !entry.contains("spark-core") && !entry.contains("scala-library"))
                .toList();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", String.join(File.pathSeparator, kept),
                InProcessProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe did not end");
        assertEquals(0, process.exitValue(), output);
        List<String> lines = output.lines().filter(l -> l.contains("=")).collect(Collectors.toList());
        assertTrue(lines.contains("spark-on-classpath=false"), output);
        assertTrue(lines.contains("sha256=7055c859125fbc2c"), output);
    }
}
