package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.LabelSpec;
import dev.sparktrain.jobs.run.TrainingSample;
import dev.sparktrain.ops.debug.Diagnostics;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import dev.sparktrain.ps.optim.OptimizerUpdate;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sanity CONFIG}: the first checks of a careful practitioner, in one report, on the configured network with
 * regularization and dropout off, at its initial parameters, on the first {@code --batch} rows of the training
 * data, in one process:
 * <ul>
 *   <li>initial loss against ln(classes): PASS within a factor {@value #LOSS_FACTOR} either way;</li>
 *   <li>dead ReLU units per layer at initialisation: PASS up to {@value #MAX_DEAD} of the units;</li>
 *   <li>update/parameter norm ratio per layer after one step of the configured optimizer: PASS in
 *       [{@value #MIN_RATIO}, {@value #MAX_RATIO}] (about 1e-3 is the classic rule; Adam's first steps move every
 *       weight by about lr, so larger ratios are common there);</li>
 *   <li>overfitting the batch with {@code --steps} optimizer steps: PASS at accuracy &ge; {@value #OVERFIT_ACCURACY}
 *       (regression: loss below 1% of the initial loss).</li>
 * </ul>
 * Ends with {@code SANITY model=.. pass=P warn=W}; warnings do not change the exit code (0).
 */
@Command(name = "sanity", mixinStandardHelpOptions = true,
        description = "Sanity checks of a config: initial loss, dead ReLUs, update ratios, overfitting one batch.")
final class SanityCommand implements Callable<Integer> {

    static final double LOSS_FACTOR = 1.25;
    static final double MAX_DEAD = 0.25;
    static final double MIN_RATIO = 1e-5;
    static final double MAX_RATIO = 1e-1;
    static final double OVERFIT_ACCURACY = 0.99;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "YAML training config")
    Path config;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", description = "Rows to overfit (default: ${DEFAULT-VALUE})")
    int batchRows = 32;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps on that batch (default: ${DEFAULT-VALUE})")
    int steps = 300;

    private int passed;
    private int warned;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (batchRows < 1 || steps < 1) {
            throw new IllegalArgumentException("--batch and --steps must be >= 1, got " + batchRows + " and " + steps);
        }
        RunConfig run = GradcheckCommand.load(config, overrides);
        NetworkSpec spec = run.model().withoutRegularization();
        boolean classifier = LabelSpec.forModel(spec).isClassification();
        Batch batch;
        try (JavaSparkContext sc = SparkSessions.start(run, out)) {
            batch = TrainingSample.first(sc, run, batchRows);
            SparkSessions.inputsAccepted();
        }
        out.printf(Locale.ROOT, "sanity %s: %d rows of the training data, regularization and dropout off, optimizer %s,"
                + " seed %d%n", run.name(), batch.rows(), run.optimizer().name(), run.training().seed());
        INDArray params = spec.initialParameters(run.training().seed(), DataType.FLOAT);
        Network network = new Network(spec, params);
        double initialLoss = network.loss(batch.features(), batch.labels());
        if (classifier) {
            Diagnostics.InitialLoss l = Diagnostics.initialLoss(network, batch.features(), batch.labels());
            verdict(out, l.ratio() <= LOSS_FACTOR && l.ratio() >= 1 / LOSS_FACTOR, "initial loss", String.format(
                    Locale.ROOT, "%.4f vs ln(%d) = %.4f (ratio %.2f)", l.measured(), spec.outputShape().size(),
                    l.expected(), l.ratio()));
        } else {
            out.printf(Locale.ROOT, "INFO  initial loss %.4g (regression: no ln C reference)%n", initialLoss);
        }
        Map<String, Double> dead = Diagnostics.deadReluFraction(network, batch.features());
        dead.forEach((layer, fraction) -> verdict(out, fraction <= MAX_DEAD, "dead ReLU  layer " + layer,
                String.format(Locale.ROOT, "%.1f%% of units never active on the batch", 100 * fraction)));
        Optimizer optimizer = run.optimizer();
        INDArray mask = spec.layout().trainableMask(params.dataType());
        OptimizerState state = optimizer.init(params);
        double loss = initialLoss;
        for (int step = 0; step < steps; step++) {
            loss = network.computeGradient(batch.features(), batch.labels(),
                    ForwardContext.training(run.training().seed() + step));
            OptimizerUpdate update = optimizer.update(network.gradient().dup(), state, params);
            INDArray delta = update.delta().mul(mask);
            if (step == 0) {
                Diagnostics.updateRatios(spec.layout(), params, delta).forEach((layer, ratio) -> verdict(out,
                        ratio >= MIN_RATIO && ratio <= MAX_RATIO, "update ratio  layer " + layer,
                        String.format(Locale.ROOT, "|update| / |params| = %.2e after one step", ratio)));
            }
            params.addi(delta);
            state = update.next();
        }
        double finalLoss = network.loss(batch.features(), batch.labels());
        if (classifier) {
            int[] predicted = network.output(batch.features()).argMax(1).toIntVector();
            int[] labels = batch.labels().toIntVector();
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
            double accuracy = (double) correct / labels.length;
            verdict(out, accuracy >= OVERFIT_ACCURACY, "overfit one batch", String.format(Locale.ROOT,
                    "accuracy %.4f (%d/%d), loss %.4g -> %.4g after %d steps", accuracy, correct, labels.length,
                    initialLoss, finalLoss, steps));
        } else {
            verdict(out, finalLoss < 0.01 * initialLoss, "overfit one batch", String.format(Locale.ROOT,
                    "loss %.4g -> %.4g after %d steps", initialLoss, finalLoss, steps));
        }
        out.printf(Locale.ROOT, "SANITY model=%s pass=%d warn=%d last_train_loss=%.6g%n", run.name(), passed, warned,
                loss);
        return 0;
    }

    private void verdict(PrintStream out, boolean pass, String check, String detail) {
        if (pass) {
            passed++;
        } else {
            warned++;
        }
        out.printf("%-4s  %-28s %s%n", pass ? "PASS" : "WARN", check, detail);
    }
}
