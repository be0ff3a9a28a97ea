package dev.sparktrain.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.ExchangeConfig;
import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.RoundTransport;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.ps.optim.Adam;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunConfigParserTest {

    private static final String MLP = """
            name: tiny
            data:
              train_images: a.idx
              train_labels: b.idx
            model:
              input_shape: [4]
              layers:
                - {type: dense, units: 8, activation: relu}
                - {type: dense, units: 3}
              loss: softmax_cross_entropy
            optimizer: {type: adam, lr: 0.01}
            training: {epochs: 2, workers: 3}
            """;

    /** {@code yaml} parsed after the {@code --set} overrides {@code sets}. */
    static RunConfig parse(String yaml, String... sets) {
        ConfigTree tree = ConfigTree.parse("test.yaml", yaml);
        for (String s : sets) {
            tree.set(s);
        }
        return RunConfigParser.parse(tree);
    }

    /** The message that refuses {@code yaml} with {@code sets}. */
    static String error(String yaml, String... sets) {
        return assertThrows(IllegalArgumentException.class, () -> parse(yaml, sets)).getMessage();
    }

    @Test
    void readsEverySectionAndFillsDefaults() {
        RunConfig run = parse(MLP);
        assertEquals("tiny", run.name());
        assertEquals(2, run.training().epochs());
        assertEquals(3, run.training().workers());
        assertEquals(64, run.training().batchSizePerWorker());
        assertEquals(TrainingMode.SYNC, run.training().mode());
        assertEquals(RoundTransport.JOB, run.training().transport());
        assertEquals(0.01, ((Adam) run.optimizer()).learningRate());
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, run.model().layout().totalLength());
        assertEquals(1.0, run.data().scale());
    }

    @Test
    void theMlflowSectionIsOptionalValidatedAndDefaulted() {
        assertEquals(null, parse(MLP).mlflow());
        MlflowConfig m = parse(MLP, "tracking.mlflow.uri=http://127.0.0.1:5000",
                "tracking.mlflow.tags={team: vision}").mlflow();
        assertEquals("http://127.0.0.1:5000", m.uri());
        assertEquals(null, m.experiment());
        assertEquals(Map.of("team", "vision"), m.tags());
        assertEquals(MlflowConfig.withUri("file:/x").logEveryRounds(), m.logEveryRounds());
        assertEquals(true, m.logModel());
        assertEquals(true, parse(MLP, "tracking.mlflow.uri=file:./mlruns").mlflow().isFileStore());
        assertEquals("tracking.mlflow.uri is required, e.g. http://127.0.0.1:5000 or file:./mlruns",
                error(MLP, "tracking.mlflow.experiment=x"));
        assertEquals("tracking.mlflow.uri must be an http://, https:// or file: URI, got 'databricks'",
                error(MLP, "tracking.mlflow.uri=databricks"));
        assertEquals("tracking.mlflow.log_every_rounds must be >= 1, got 0",
                error(MLP, "tracking.mlflow.uri=file:/x", "tracking.mlflow.log_every_rounds=0"));
        assertEquals("unknown field 'tracking.mlflow.experimnet'; did you mean 'experiment'?",
                error(MLP, "tracking.mlflow.uri=file:/x", "tracking.mlflow.experimnet=x"));
        assertTrue(error(MLP, "tracking.wandb.uri=x").startsWith("unknown field 'tracking.wandb'"));
    }

    @Test
    void setOverridesAnyFieldIncludingListEntries() {
        RunConfig run = parse(MLP, "training.epochs=1", "model.layers.0.units=16", "optimizer.beta2=0.99",
                "training.seed=7");
        assertEquals(1, run.training().epochs());
        assertEquals(7, run.training().seed());
        assertEquals(0.99, ((Adam) run.optimizer()).beta2());
        assertEquals(RoundTransport.CHANNEL, parse(MLP, "training.transport=channel").training().transport());
        assertEquals(4 * 16 + 16 + 16 * 3 + 3, run.model().layout().totalLength());
    }

    @Test
    void theExchangeSectionIsOptionalValidatedAndDefaulted() {
        assertEquals(ExchangeConfig.defaults(), parse(MLP).training().exchange());
        assertEquals(new ExchangeConfig(ExchangeTopology.TREE, WirePrecision.BF16), parse(MLP,
                "training.mode=outer", "training.exchange.topology=tree", "training.exchange.pseudo_gradient=bf16")
                .training().exchange());
        assertEquals(WirePrecision.FP16, parse(MLP, "training.mode=average", "training.exchange.pseudo_gradient=fp16")
                .training().exchange().pseudoGradient());
        assertEquals("training.exchange.topology must be one of [star, tree], got 'ring'",
                error(MLP, "training.exchange.topology=ring"));
        assertEquals("training.exchange.pseudo_gradient must be one of [float32, bf16, fp16], got 'int8'",
                error(MLP, "training.mode=average", "training.exchange.pseudo_gradient=int8"));
        assertEquals("training.exchange.pseudo_gradient bf16 applies to the average and outer modes only; sync mode "
                + "sends float32 gradients", error(MLP, "training.exchange.pseudo_gradient=bf16"));
        assertEquals("unknown field 'training.exchange.topolgy'; did you mean 'topology'?",
                error(MLP, "training.exchange.topolgy=tree"));
    }

    @Test
    void unknownKeysNameTheFieldAndSuggestTheClosestOne() {
        assertEquals("unknown field 'training.epoch'; did you mean 'epochs'?", error(MLP, "training.epoch=3"));
        assertEquals("unknown field 'optimiser'; did you mean 'optimizer'?", error(MLP + "optimiser: {}\n"));
        assertEquals("unknown field 'model.layers[1].unit'; did you mean 'units'?",
                error(MLP.replace("units: 3", "unit: 3")));
    }

    @Test
    void outOfRangeValuesNameTheFieldTheRangeAndTheValue() {
        assertEquals("optimizer.beta2 must be in [0, 1), got 1.5", error(MLP, "optimizer.beta2=1.5"));
        assertEquals("optimizer.lr must be > 0, got -0.1", error(MLP, "optimizer.lr=-0.1"));
        assertEquals("training.epochs: expected a whole number in [1, 1000000], got 0", error(MLP, "training.epochs=0"));
        assertEquals("training.mode must be one of [sync, average, outer], got 'async'", error(MLP, "training.mode=async"));
        assertEquals("training.transport must be one of [job, channel], got 'socket'",
                error(MLP, "training.transport=socket"));
        assertEquals("training.workers: expected a whole number in [1, 1024], got 'two'",
                error(MLP, "training.workers=two"));
        assertEquals("model.layers[1]: dense.units must be > 0, got -3", error(MLP, "model.layers.1.units=-3"));
    }

    @Test
    void badSetSyntaxAndBadFilesAreOneLine() {
        assertEquals("--set expects path=value, got 'training.epochs'", error(MLP, "training.epochs"));
        assertEquals("--set model.layers.5.units: index 5 is outside the list of 2 entries",
                error(MLP, "model.layers.5.units=3"));
        String missing = assertThrows(IllegalArgumentException.class,
                () -> ConfigTree.read(Path.of("no/such/config.yaml"))).getMessage();
        assertEquals("no/such/config.yaml: config file not found", missing);
        assertEquals("bad.yaml: expected a YAML mapping at the top level, got a list",
                assertThrows(IllegalArgumentException.class, () -> ConfigTree.parse("bad.yaml", "- 1\n- 2\n"))
                        .getMessage());
    }

    @Test
    void everyIntegerFieldIsAWholeNumberInItsRange() {
        assertEquals("training.epochs: expected a whole number in [1, 1000000], got 1e12",
                error(MLP, "training.epochs=1e12"));
        assertEquals("training.epochs: expected a whole number in [1, 1000000], got 2.5",
                error(MLP, "training.epochs=2.5"));
        assertEquals("training.workers: expected a whole number in [1, 1024], got 10000",
                error(MLP, "training.workers=10000"));
        assertEquals("training.batch_size_per_worker: expected a whole number in [1, 1048576], got 99999999999",
                error(MLP, "training.batch_size_per_worker=99999999999"));
        assertEquals("checkpoint.keep: expected a whole number in [1, 1000000], got 0", error(MLP, "checkpoint.keep=0"));
        assertEquals("training.seed: expected a whole number in [-9223372036854775808, 9223372036854775807], got 1.5",
                error(MLP, "training.seed=1.5"));
        assertEquals("model.layers[0].units: expected a whole number in [-2147483648, 2147483647], got 1e12",
                error(MLP, "model.layers.0.units=1e12"));
        assertEquals(12, parse(MLP, "training.epochs=12.0").training().epochs());
    }

    @Test
    void sparkMasterIsCheckedAsText() {
        assertEquals("spark.master 'foo' is not a Spark master URL; expected local, local[N], local[*], "
                + "spark://HOST:PORT, yarn or k8s://https://HOST:PORT", error(MLP, "spark.master=foo"));
        assertEquals("spark.master 'spark://host' is not a Spark master URL: 'host' is not HOST:PORT with a port in "
                + "[1, 65535]; expected local, local[N], local[*], spark://HOST:PORT, yarn or k8s://https://HOST:PORT",
                error(MLP, "spark.master=spark://host"));
        assertEquals("local[4]", parse(MLP, "spark.master=local[4]").sparkMaster());
        assertEquals("spark://a:7077,b:7077", parse(MLP, "spark.master=spark://a:7077,b:7077").sparkMaster());
    }

    @Test
    void yamlIsReadStrictly() {
        assertEquals("t.yaml line 4: key 'epochs' is given twice in the same section, first on line 2; keep one",
                assertThrows(IllegalArgumentException.class, () -> ConfigTree.parse("t.yaml",
                        "training:\n  epochs: 2\n  workers: 2\n  epochs: 3\n")).getMessage());
        assertEquals("t.yaml line 2, column 1: not valid YAML: expected ',' or ']', but got <stream end> (while "
                + "parsing a flow sequence)", assertThrows(IllegalArgumentException.class,
                () -> ConfigTree.parse("t.yaml", "a: [1, 2\n")).getMessage());
        assertEquals("t.yaml: is empty, expected a YAML mapping with the sections name, data, model, optimizer, "
                + "training (see conf/examples/)", assertThrows(IllegalArgumentException.class,
                () -> ConfigTree.parse("t.yaml", "\n  \n")).getMessage());
        assertEquals("t.yaml: is empty (only comments), expected a YAML mapping with the sections name, data, model, "
                + "optimizer, training (see conf/examples/)", assertThrows(IllegalArgumentException.class,
                () -> ConfigTree.parse("t.yaml", "# nothing yet\n")).getMessage());
    }

    @Test
    void setNullClearsAFieldAndAnEmptyValueIsRefused() {
        RunConfig cleared = parse(MLP + "spark:\n  master: local[3]\n", "spark.master=null", "training.workers=~");
        assertEquals(null, cleared.sparkMaster());
        assertEquals(2, cleared.training().workers(), "back to the default");
        assertEquals("--set training.epochs=: the value is empty; give a value, or training.epochs=null to clear the "
                + "field (back to its default)", error(MLP, "training.epochs="));
        assertEquals("model.loss is required, e.g. softmax_cross_entropy", error(MLP, "model.loss=null"));
    }
}
