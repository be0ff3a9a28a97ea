package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.listen.ConsoleListener;
import dev.sparktrain.driver.eval.EvaluationSum;
import dev.sparktrain.driver.eval.Evaluator;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.MetricsJsonlListener;
import dev.sparktrain.driver.listen.ProgressListener;
import dev.sparktrain.jobs.report.ReportWriter;
import dev.sparktrain.jobs.run.ConfusionFile;
import dev.sparktrain.ps.ParameterSnapshot;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.jobs.data.LoadedData;
import dev.sparktrain.jobs.data.TrainingData;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.jobs.run.ModelWriter;
import dev.sparktrain.jobs.run.ResumePoint;
import dev.sparktrain.jobs.run.RunDirectory;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code train CONFIG [--set path=value ...] [--out DIR] [--resume | --resume-from CHECKPOINT | --overwrite]}:
 * trains on Spark, prints one line per epoch and a RESULT line, and leaves the resolved config, checkpoints and the
 * final model in the run directory.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the model described by a YAML config on Spark.")
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "YAML training config, e.g. conf/examples/fashion-mlp.yaml")
    Path config;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a config field, e.g. --set training.epochs=1 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory (default: runs/<config name>-<date>-<time>; give it to use --resume)")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint")
    boolean resume;

    @Option(names = "--resume-from", paramLabel = "CHECKPOINT",
            description = "Continue the run in --out from this checkpoint (a folder of its checkpoints/, by path or"
                    + " name), e.g. the one before a damaged latest; later checkpoints are set aside, not deleted")
    Path resumeFrom;

    @Option(names = "--overwrite", description = "Replace an existing run directory")
    boolean overwrite;

    @Override
    public Integer call() {
        PrintStream stdout = System.out;
        ConfigTree tree = ConfigTree.read(config);
        overrides.forEach(tree::set);
        RunConfig run = RunConfigParser.parse(tree);
        boolean resuming = resume || resumeFrom != null;
        if (resuming && out == null) {
            throw new IllegalArgumentException((resume ? "--resume" : "--resume-from")
                    + " needs --out DIR: the run directory to continue");
        }
        Path runPath = out != null ? out : Path.of("runs", run.name() + "-"
                + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        RunDirectory dir = RunDirectory.prepare(runPath, resuming, overwrite);
        try {
            return train(stdout, tree, run, dir, resuming);
        } catch (RuntimeException e) {
            // Bad input found before anything worth keeping: leave no half-written run behind (a later run with
            // the same --out would be refused). A run with a checkpoint is kept for --resume.
            if (!resuming && SparkTrain.rootOfUserError(e) instanceof IllegalArgumentException
                    && !hasCheckpoint(dir)) {
                RunDirectory.deleteRecursively(dir.root());
            }
            throw e;
        }
    }

    private static boolean hasCheckpoint(RunDirectory dir) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.checkpoints())) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private Integer train(PrintStream stdout, ConfigTree tree, RunConfig run, RunDirectory dir, boolean resuming) {
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(
                new CheckpointStore(dir.checkpoints(), run.checkpoint().keep()), tree.root(), run.training().seed());
        // Checked before anything is written or Spark starts: a refused resume leaves the run as it was.
        Path startFrom = !resuming ? null : resumeFrom != null
                ? ResumePoint.chosen(dir, checkpoints, resumeFrom, stdout) : ResumePoint.latest(dir, checkpoints);
        stdout.println("sparktrain train " + run.name() + " (" + config + ") -> " + dir.root());
        stdout.print(tree.toYaml().indent(2));
        RunDirectory.writeAtomically(dir.config(), tree.toYaml());
        try (JavaSparkContext sc = SparkSessions.start(run, stdout)) {
            LoadedData data = TrainingData.load(sc, run);
            CachedBlocks train = data.train();
            CachedBlocks test = data.test();
            stdout.println("data: " + train.totalRows() + " training rows in " + train.rowsPerPartition().length
                    + " partitions" + (test == null ? "" : ", " + test.totalRows() + " test rows"));
            List<EpochMetrics> history;
            try (MetricsJsonlListener metrics = MetricsJsonlListener.inRunDir(dir.root());
                 ProgressListener progress = ProgressListener.forStdout()) {
                Trainer trainer = Trainer.builder(sc, run.model(), run.optimizer(), run.training())
                        .listeners(List.of(progress, new ConsoleListener(stdout), metrics))
                        .checkpointTo(checkpoints, run.checkpoint()).stopEarly(run.earlyStopping()).build();
                ParameterServer server = trainer.server();
                if (startFrom != null) {
                    stdout.println("resuming from " + startFrom);
                }
                history = startFrom == null ? trainer.fit(train, test) : trainer.resume(startFrom, train, test);
                INDArray model = trainer.bestParams().orElseGet(server::params);
                ModelWriter.write(dir.model(), tree.toYaml(), run.model(), model,
                        ModelNormalization.of(run.data(), train.featureSize(), data.standardization()));
                if (test != null) {
                    EvaluationSum evaluation = Evaluator.evaluate(sc, test, run.model(),
                            new ParameterSnapshot(server.version(), model.toFloatVector()), run.training().evalBatchSize());
                    stdout.println("final test: " + evaluation.summary());
                    if (evaluation.isClassification()) {
                        ConfusionFile.write(dir.root(), evaluation.confusionMatrix());
                    }
                }
            }
            List<Path> report = ReportWriter.write(dir.root());
            stdout.println("report: " + report.get(report.size() - 1));
            if (history.isEmpty()) {
                stdout.println("nothing left to train: the checkpoint is at the end of the run");
            } else {
                stdout.println(ResultLine.format(run, history));
            }
        }
        return 0;
    }
}
