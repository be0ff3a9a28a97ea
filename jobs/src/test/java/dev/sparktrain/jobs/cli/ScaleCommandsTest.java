package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench-scale's two parts without the simulated hosts: {@code scale-run} on {@code local[2]} (the driver's link is
 * loopback here) measures every mode's round split, and {@code scale-model} fits its lines and predicts beside them.
 */
class ScaleCommandsTest {

    @TempDir
    Path dir;

    @Test
    void scaleRunMeasuresEachModeAndScaleModelPredictsBesideTheMeasurements() throws Exception {
        Path config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
        Path lines = dir.resolve("runs.txt");
        Path shaped = dir.resolve("shaped.txt");
        // Local mode has no links to shape: the command only records what it was asked, in order.
        CliFixture.Outcome run = CliFixture.run("scale-run", config.toString(), "--links", "none,100mbit",
                "--shape-command", "echo {rate} >> " + shaped, "--modes", "sync,outer", "--rounds", "3",
                "--warmup-rounds", "1", "--link-device", "lo", "--set", "training.transport=channel");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("none", "100mbit"), Files.readAllLines(shaped));
        Map<String, Double> runs = figures(run.out());
        for (String link : new String[] {"none", "100mbit"}) {
            for (String mode : new String[] {"sync", "outer"}) {
                String key = "n2." + link + "." + mode + ".star.";
                assertEquals(3, runs.get(key + "rounds"));
                assertEquals(16 * 12 + 12 + 12 * 3 + 3, runs.get(key + "params"));
                double round = runs.get(key + "round_s");
                assertEquals(round, runs.get(key + "compute_s") + runs.get(key + "comm_s") + runs.get(key + "update_s"),
                        1e-5 + 1e-3 * round);
                assertTrue(runs.get(key + "efficiency") > 0 && runs.get(key + "efficiency") <= 1, run.out());
                assertTrue(runs.get(key + "driver_in_bytes") >= 0 && runs.get(key + "driver_out_bytes") >= 0,
                        run.out());
            }
        }
        Files.writeString(lines, run.out());

        CliFixture.Outcome model = CliFixture.run("scale-model", lines.toString(), "--predict-workers", "16,64",
                "--predict-params", "1000000");
        assertEquals(0, model.exitCode(), model.err());
        Map<String, Double> f = figures(model.out());
        assertEquals(4, f.get("model.runs"));
        assertTrue(f.get("model.alpha_s") >= 0 && f.get("model.gamma_ns_per_byte") >= 0, model.out());
        assertTrue(f.containsKey("n2.100mbit.outer.star.efficiency_predicted"), model.out());
        for (String exchange : new String[] {"star", "tree"}) {
            double e = f.get("predict.n64.100mbit.sync." + exchange + ".p1m.efficiency");
            assertTrue(e > 0 && e < 1, model.out());
        }
        assertTrue(f.get("predict.n64.100mbit.sync.tree.p1m.efficiency")
                > f.get("predict.n64.100mbit.sync.star.p1m.efficiency"), model.out());
    }

    @Test
    void badInputEndsWithOneLine() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "no figures here\n");
        CliFixture.Outcome model = CliFixture.run("scale-model", empty.toString());
        assertEquals(2, model.exitCode());
        assertTrue(model.errorLine().contains("expected SCALE lines of scale-run in"), model.err());
        assertFalse(model.hasCliStackTrace(), model.err());

        Path config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
        CliFixture.Outcome run = CliFixture.run("scale-run", config.toString(), "--links", "fast");
        assertEquals(2, run.exitCode());
        assertEquals("error: expected a link rate like 100mbit, 1gbit or none, got 'fast'", run.errorLine());
        CliFixture.Outcome unshapeable = CliFixture.run("scale-run", config.toString(), "--links", "1gbit,none");
        assertEquals(2, unshapeable.exitCode());
        assertTrue(unshapeable.errorLine().contains("--shape-command must say how"), unshapeable.err());
    }

    private static Map<String, Double> figures(String out) {
        Map<String, Double> f = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^SCALE (\\S+)=(\\S+)$").matcher(out);
        while (m.find()) {
            f.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return f;
    }
}
