package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/time-to-accuracy} reads a run's metrics.jsonl: the seconds of training and evaluation up to the first
 * epoch at the target accuracy, the best accuracy when none reached it, one line on a damaged file.
 */
class TimeToAccuracyScriptTest {

    @TempDir
    Path run;

    private static String epoch(int epoch, double trainSeconds, double evalSeconds, double accuracy) {
        return "{\"type\":\"epoch\",\"epoch\":" + epoch + ",\"epochs\":4,\"rounds\":7,\"samples\":60000,"
                + "\"trainLoss\":0.5,\"trainSeconds\":" + trainSeconds + ",\"evalSeconds\":" + evalSeconds
                + ",\"testLoss\":0.4,\"testAccuracy\":" + accuracy + "}";
    }

    private record Outcome(int exit, String output) {
    }

    private Outcome run(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) || Files.isExecutable(Path.of("/usr/local/bin/python3")),
                "python3 not installed");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of("..", "bin", "time-to-accuracy").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "time-to-accuracy did not finish");
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    @Test
    void sumsTheEpochsUpToTheFirstAtTheTarget() throws Exception {
        Files.write(run.resolve("metrics.jsonl"), List.of(
                "{\"type\":\"round\",\"epoch\":1,\"round\":0,\"seconds\":0.2}",
                epoch(1, 10.0, 1.5, 0.84), epoch(2, 9.0, 1.0, 0.872), epoch(3, 9.0, 1.0, 0.88)));
        Outcome o = run(run.toString(), "0.87");
        assertEquals(0, o.exit(), o.output());
        assertEquals("TTA run=" + run + " target=0.87 epoch=2 seconds=21.5 accuracy=0.8720", o.output());
    }

    @Test
    void saysSoWhenNoEpochReachedTheTarget() throws Exception {
        Files.write(run.resolve("metrics.jsonl"), List.of(epoch(1, 10.0, 1.0, 0.84), epoch(2, 9.0, 1.0, 0.86),
                "{\"type\":\"epo"));
        Outcome o = run(run.toString());
        assertEquals(1, o.exit(), o.output());
        assertEquals("TTA run=" + run + " target=0.87 epoch=none seconds=21.0 epochs=2 best_accuracy=0.8600",
                o.output());
    }

    @Test
    void aDamagedLineOrABadTargetIsOneLine() throws Exception {
        Files.write(run.resolve("metrics.jsonl"), List.of("not json", epoch(1, 10.0, 1.0, 0.84)));
        Outcome o = run(run.toString());
        assertEquals(2, o.exit(), o.output());
        assertTrue(o.output().endsWith("line 1: expected a JSON record, found 'not json'") && !o.output().contains("\n"),
                o.output());
        Outcome bad = run(run.toString(), "87");
        assertEquals(2, bad.exit(), bad.output());
        assertEquals("time-to-accuracy: TARGET must be an accuracy in [0, 1], got '87'", bad.output());
    }
}
