package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.StopRequest;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.eval.EvaluationSum;
import dev.sparktrain.driver.eval.Evaluator;
import dev.sparktrain.driver.listen.ConsoleListener;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.MetricsJsonlListener;
import dev.sparktrain.driver.listen.ProgressListener;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.jobs.data.DatasetReader;
import dev.sparktrain.jobs.data.LoadedData;
import dev.sparktrain.jobs.report.ReportWriter;
import dev.sparktrain.jobs.run.AtomicFiles;
import dev.sparktrain.jobs.run.ConfusionFile;
import dev.sparktrain.jobs.run.DataPreflight;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.jobs.run.ModelWriter;
import dev.sparktrain.jobs.run.ResumePoint;
import dev.sparktrain.jobs.run.RunDirectory;
import dev.sparktrain.jobs.run.TrainingData;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import dev.sparktrain.ps.io.WriteFailure;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
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

    @Option(names = "--mlflow-uri", paramLabel = "URI",
            description = "Log the run to MLflow: a tracking server (http://host:5000) or a file store (file:./mlruns);"
                    + " the same as --set tracking.mlflow.uri=URI")
    String mlflowUri;

    @Option(names = "--mlflow-experiment", paramLabel = "NAME",
            description = "MLflow experiment (default: the config's name); as --set tracking.mlflow.experiment=NAME")
    String mlflowExperiment;

    @Option(names = "--mlflow-run-name", paramLabel = "NAME",
            description = "MLflow run name (default: the run directory's name); as --set tracking.mlflow.run_name=NAME")
    String mlflowRunName;

    @Override
    public Integer call() {
        PrintStream stdout = System.out;
        ConfigTree tree = ConfigTree.read(config);
        overrides.forEach(tree::set);
        setText(tree, "tracking.mlflow.uri", mlflowUri);
        setText(tree, "tracking.mlflow.experiment", mlflowExperiment);
        setText(tree, "tracking.mlflow.run_name", mlflowRunName);
        RunConfig run = RunConfigParser.parse(tree);
        boolean resuming = resume || resumeFrom != null;
        if (resuming && out == null) {
            throw new IllegalArgumentException((resume ? "--resume" : "--resume-from")
                    + " needs --out DIR: the run directory to continue");
        }
        if (resuming && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
        // Checked before anything is written: the data's files and row count, and a standalone master's answer.
        DataPreflight.checkTraining(run);
        SparkSessions.checkMaster(run);
        Path runPath = out != null ? out : Path.of("runs", run.name() + "-"
                + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        // Nothing on disk changes before the config, the run directory, the checkpoint to resume, Spark and the data
        // have all been checked: a refused run leaves everything as it was.
        RunDirectory dir = RunDirectory.plan(runPath, resuming ? RunDirectory.Mode.RESUME
                : overwrite ? RunDirectory.Mode.OVERWRITE : RunDirectory.Mode.NEW, config, inputs(run));
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(
                new CheckpointStore(dir.checkpoints(), run.checkpoint().keep()), tree.root(), run.training().seed())
                .whenSaved(saved -> dir.keep());
        Path startFrom = !resuming ? null : resumeFrom != null
                ? ResumePoint.chosen(dir, checkpoints, resumeFrom) : ResumePoint.latest(dir, checkpoints);
        StopRequest stop = new StopRequest();
        try (CtrlC ctrlC = CtrlC.stops(stop)) {
            return train(stdout, tree, run, dir, checkpoints, startFrom, stop, ctrlC);
        } catch (RuntimeException e) {
            boolean removed = dir.wouldBeRemoved();
            try {
                dir.abandon();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);  // the failure is the news; the cleanup's own trouble rides along
            }
            if (stop.isRequested()) {
                throw new RunStopped(SparkTrain.EXIT_INTERRUPTED,
                        "interrupted" + where(e) + "; " + whatRemains(dir, removed, "continue it with --resume"), e);
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof WriteFailure w) {
                    throw new RunStopped(SparkTrain.EXIT_ENVIRONMENT, "error: " + w.getMessage() + "; "
                            + whatRemains(dir, removed, "free space and continue it with --resume"), e);
                }
            }
            throw e;
        }
    }

    /** Sets {@code path} to {@code text} as a string (quoted, so YAML does not read "yes" or "1.0" as a value). */
    static void setText(ConfigTree tree, String path, String text) {
        if (text != null) {
            tree.set(path + "='" + text.replace("'", "''") + "'");
        }
    }

    /** The config file and the data paths: {@code --overwrite} never replaces a directory holding one of them. */
    private static List<String> inputs(RunConfig run) {
        List<String> paths = new ArrayList<>(run.data().trainPaths());
        if (run.data().hasTest()) {
            paths.addAll(run.data().testPaths());
        }
        return paths;
    }

    private static String where(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StopRequest.Interrupted i) {
                return i.round() < 0 ? " after the last epoch, before the model was written"
                        : " in epoch " + i.epoch() + ", round " + (i.round() + 1);
            }
        }
        return "";
    }

    /** What a stopped run left: its last checkpoint, or nothing (and the old run back, for --overwrite). */
    private static String whatRemains(RunDirectory dir, boolean removed, String howToContinue) {
        if (!dir.isOpen() && dir.mode() != RunDirectory.Mode.RESUME) {
            return "nothing was written" + (dir.mode() == RunDirectory.Mode.OVERWRITE ? "; " + dir.root()
                    + " is as it was" : "");
        }
        if (removed) {
            return dir.mode() == RunDirectory.Mode.OVERWRITE
                    ? "the new run had no checkpoint yet and was removed; the old run is back in " + dir.root()
                    : "the run had no checkpoint yet; " + dir.root() + " was removed";
        }
        java.util.Optional<Path> last = new CheckpointStore(dir.checkpoints(), 1).latest();
        return last.map(p -> "the run's last checkpoint is " + p + "; " + howToContinue + " --out " + dir.root())
                .orElse(dir.root() + " has no checkpoint; " + howToContinue + " --out " + dir.root()
                        + " (it starts from the beginning)");
    }

    /** Cancels the running jobs of these groups (Spark warns about a group with none, so it is not asked to). */
    private static void cancelActiveJobs(JavaSparkContext sc, String... groups) {
        java.util.Set<Integer> active = new java.util.HashSet<>();
        for (int id : sc.statusTracker().getActiveJobIds()) {
            active.add(id);
        }
        for (String group : groups) {
            for (int id : sc.statusTracker().getJobIdsForGroup(group)) {
                if (active.contains(id)) {
                    sc.sc().cancelJob(id);
                }
            }
        }
    }

    private Integer train(PrintStream stdout, ConfigTree tree, RunConfig run, RunDirectory dir,
                          TrainingCheckpoints checkpoints, Path startFrom, StopRequest stop, CtrlC ctrlC) {
        stdout.println("sparktrain train " + run.name() + " (" + config + ") -> " + dir.root());
        // The live report and MLflow end with the run however it ends, before a stopped run's directory is tidied.
        try (RunObservers observers = RunObservers.start(run, dir, stdout, System.err)) {
            try {
                return train(stdout, tree, run, dir, checkpoints, startFrom, stop, ctrlC, observers);
            } catch (RuntimeException | Error e) {
                observers.ended(e, stop.isRequested());
                throw e;
            }
        }
    }

    private Integer train(PrintStream stdout, ConfigTree tree, RunConfig run, RunDirectory dir,
                          TrainingCheckpoints checkpoints, Path startFrom, StopRequest stop, CtrlC ctrlC,
                          RunObservers observers) {
        try (JavaSparkContext sc = SparkSessions.start(run, stdout)) {
            // Reading the data or evaluating can take a while; a round is short and ends at the next boundary.
            ctrlC.alsoOnStop(() -> cancelActiveJobs(sc, DatasetReader.JOB_GROUP, Trainer.EVAL_JOB_GROUP));
            LoadedData data = TrainingData.load(sc, run);
            SparkSessions.inputsAccepted();
            CachedBlocks train = data.train();
            CachedBlocks test = data.test();
            stdout.println("data: " + train.totalRows() + " training rows in " + train.rowsPerPartition().length
                    + " partitions" + (test == null ? "" : ", " + test.totalRows() + " test rows"));
            dir.open();
            if (resumeFrom != null) {
                ResumePoint.setAsideAfter(dir, checkpoints, startFrom, stdout);
            }
            AtomicFiles.writeString(dir.config(), tree.toYaml());
            observers.startTracking(tree, dir.mode() == RunDirectory.Mode.RESUME, sc.master());
            List<EpochMetrics> history;
            try (MetricsJsonlListener metrics = MetricsJsonlListener.inRunDir(dir.root());
                 ProgressListener progress = ProgressListener.forStdout()) {
                // The report and MLflow come after the metrics file, which flushes each epoch's lines first.
                List<TrainingListener> listeners = new ArrayList<>(List.of(progress, new ConsoleListener(stdout),
                        metrics));
                listeners.addAll(observers.listeners());
                Trainer trainer = Trainer.builder(sc, run.model(), run.optimizer(), run.training())
                        .listeners(listeners).checkpointTo(checkpoints, run.checkpoint())
                        .stopEarly(run.earlyStopping()).stopOn(stop).build();
                ParameterServer server = trainer.server();
                if (startFrom != null) {
                    stdout.println("resuming from " + startFrom);
                } else if (dir.mode() == RunDirectory.Mode.RESUME) {
                    stdout.println("resuming " + dir.root() + ": it has no checkpoint, so it starts from the beginning");
                }
                history = startFrom == null ? trainer.fit(train, test) : trainer.resume(startFrom, train, test);
                if (stop.isRequested()) {
                    throw new StopRequest.Interrupted(run.training().epochs(), -1, null);
                }
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
            List<Path> report = observers.finished();
            dir.keep();
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
