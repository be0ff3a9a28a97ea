package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gradcheck and sanity on a small config with real (tiny) training data. */
class DebugCommandsTest {

    @TempDir
    Path dir;

    @Test
    void gradcheckPassesForASmoothNetworkAndFailsAgainstAnImpossibleThreshold() throws IOException {
        Path config = CliFixture.config(dir, "tanh", "normalize: standardize");
        Outcome ok = CliFixture.run("gradcheck", config.toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertEquals("0", ok.field("GRADCHECK", "failed"));
        assertEquals("4", ok.field("GRADCHECK", "tensors"));
        assertTrue(ok.out().contains("0.dense.W") && ok.out().contains("PASS"), ok.out());
        assertTrue(Double.parseDouble(ok.field("GRADCHECK", "worst")) < 1e-6, ok.out());

        Outcome strict = CliFixture.run("gradcheck", config.toString(), "--threshold", "1e-300");
        assertEquals(SparkTrain.EXIT_FAILURE, strict.exitCode(), strict.out());
        assertTrue(strict.out().contains("FAIL (worst at element"), strict.out());
    }

    @Test
    void gradcheckWarnsAboutKinks() throws IOException {
        Path config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
        Outcome o = CliFixture.run("gradcheck", config.toString(), "--samples", "2");
        assertTrue(o.out().contains("warning: layer 0 dense: relu is not smooth"), o.out());
    }

    @Test
    void sanityPassesOnALearnableBatch() throws IOException {
        Path config = CliFixture.config(dir, "relu", "scale: 0.00392156862745098");
        Outcome o = CliFixture.run("sanity", config.toString(), "--set", "model.regularization={l2: 0.5}");
        assertEquals(0, o.exitCode(), o.out() + o.err());
        assertTrue(o.out().contains("regularization and dropout off"), o.out());
        assertTrue(o.out().matches("(?s).*PASS +initial loss .*ln\\(3\\).*"), o.out());
        assertTrue(o.out().matches("(?s).*(PASS|WARN) +dead ReLU  layer 0 dense.*"), o.out());
        assertTrue(o.out().matches("(?s).*(PASS|WARN) +update ratio  layer 0\\.dense .*"), o.out());
        assertTrue(o.out().matches("(?s).*PASS +overfit one batch +accuracy 1\\.0000 \\(32/32\\).*"), o.out());
        assertEquals("0", o.field("SANITY", "warn"), o.out());
    }
}
