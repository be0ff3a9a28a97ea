package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import dev.sparktrain.jobs.examples.ExampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV example configs of {@code conf/examples/}, run as shipped but for fewer epochs, on data written by
 * {@link ExampleData} as {@code bin/example-data} writes it: each must reach a stated level after those epochs (the
 * README states what the full runs reach). The Fashion-MNIST ones need the data set ({@code bin/fetch-fashion-mnist}
 * puts it in {@code data/fashion-mnist}, as CI does) and are skipped without it.
 */
class ExampleConfigsTest {

    static final Path EXAMPLES = Path.of("..", "conf", "examples");
    static final Path FASHION = Path.of("..", "data", "fashion-mnist");

    @TempDir
    Path dir;

    private Outcome train(String example, Path data, String trainCsv, String testCsv, int epochs) {
        Outcome o = CliFixture.run("train", EXAMPLES.resolve(example + ".yaml").toString(),
                "--out", dir.resolve("run-" + example).toString(),
                "--set", "data.train_path=" + data.resolve(trainCsv),
                "--set", "data.test_path=" + data.resolve(testCsv),
                "--set", "training.epochs=" + epochs);
        assertEquals(0, o.exitCode(), o.out() + o.err());
        return o;
    }

    private Path fashionCsvs() throws IOException {
        assumeTrue(Files.isReadable(FASHION.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST not in " + FASHION.toAbsolutePath().normalize() + " (bin/fetch-fashion-mnist)");
        Path data = dir.resolve("examples");
        ExampleData.fashion(FASHION, data);
        return data;
    }

    @Test
    void friedmanHuberInOuterModeGetsNearTheNoiseFloor() throws IOException {
        Path data = dir.resolve("examples");
        ExampleData.friedman(data);
        Outcome o = train("friedman-huber", data, "friedman1-train.csv", "friedman1-test.csv", 6);
        // Huber(delta 1) of the N(0, 1) noise alone is about 0.43; predicting the mean scores about 3.
        double loss = Double.parseDouble(o.field("RESULT", "test_loss"));
        assertTrue(loss < 0.8, o.out());
        assertEquals("outer", o.field("RESULT", "mode"));
    }

    @Test
    void fashionLogisticRegressionOnCsv() throws IOException {
        Path data = fashionCsvs();
        Outcome o = train("fashion-logreg", data, "fashion7x7-train.csv", "fashion7x7-test.csv", 2);
        double accuracy = Double.parseDouble(o.field("RESULT", "test_acc"));
        assertTrue(accuracy >= 0.77, o.out());
    }

    @Test
    void sandalFocalLossRanksTheRareClass() throws IOException {
        Path data = fashionCsvs();
        Outcome o = train("sandal-focal", data, "sandal-train.csv", "sandal-test.csv", 2);
        Matcher auc = Pattern.compile("(?m)^final test: .* auc (\\S+)").matcher(o.out());
        assertTrue(auc.find(), o.out());
        assertTrue(Double.parseDouble(auc.group(1)) >= 0.98, auc.group());
        // Always answering "not a sandal" would score 0.989.
        assertTrue(Double.parseDouble(o.field("RESULT", "test_acc")) > 0.989, o.out());
    }
}
