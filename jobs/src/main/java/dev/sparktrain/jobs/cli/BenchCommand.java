package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.jobs.bench.BenchReport;
import dev.sparktrain.jobs.bench.GemmRoofline;
import dev.sparktrain.jobs.bench.KernelThroughput;
import dev.sparktrain.jobs.bench.ModeThroughput;
import dev.sparktrain.jobs.bench.ModelFlops;
import dev.sparktrain.jobs.bench.OpProfile;
import dev.sparktrain.jobs.bench.ProcessMemory;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.LoadedData;
import dev.sparktrain.jobs.run.TrainingData;
import dev.sparktrain.jobs.run.TrainingSample;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench CONFIG}: in one run on one machine, the gemm roofline, the single-process training kernel, Spark
 * training in each mode, their ratios, the time split of a round and the memory figures. Ends with one
 * {@code BENCH key=value} line per figure for scripts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark: gemm roofline, training kernel, Spark throughput per mode, time split, memory.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "YAML training config")
    Path config;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--modes", split = ",", paramLabel = "MODE",
            description = "Training modes to run on Spark, or none for the roofline and kernel only (default: "
                    + "${DEFAULT-VALUE})")
    List<String> modes = List.of("sync", "average", "outer");

    /**
     * Ten: the medians then come from nine epochs, ~4 s of {@code average} training here. With three they came from
     * two half-second epochs, while the JIT was still compiling: {@code average} / kernel ranged 0.76–0.93 between
     * runs of the same code.
     */
    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs per mode; the first is warm-up when there are more (default: ${DEFAULT-VALUE})")
    int epochs = 10;

    @Option(names = "--seconds", paramLabel = "S",
            description = "Measuring time per roofline shape and for the kernel; the Spark modes warm up for half "
                    + "of it (at least 2 s), and on while the JIT compiles, up to twice it (default: ${DEFAULT-VALUE})")
    double seconds = 8;

    @Option(names = "--kernel-rows", paramLabel = "N",
            description = "Training rows the kernel cycles through (default: ${DEFAULT-VALUE})")
    int kernelRows = 8192;

    @Option(names = "--memory-epochs", paramLabel = "N",
            description = "Also train N epochs in the config's mode and report resident memory per epoch (0: skip)")
    int memoryEpochs = 0;

    @Override
    public Integer call() {
        if (epochs < 1 || seconds <= 0 || kernelRows < 1 || memoryEpochs < 0) {
            throw new IllegalArgumentException("--epochs, --seconds and --kernel-rows must be positive and "
                    + "--memory-epochs >= 0, got " + epochs + ", " + seconds + ", " + kernelRows + ", " + memoryEpochs);
        }
        PrintStream out = System.out;
        RunConfig run = GradcheckCommand.load(config, overrides);
        Map<String, RunConfig> perMode = new LinkedHashMap<>();
        for (String mode : modes) {
            if (!mode.equals("none")) {
                perMode.put(mode, withSettings(mode, epochs));
            }
        }
        int threads = run.training().workers();
        int batch = run.training().batchSizePerWorker();
        BenchReport report = new BenchReport(out, run, threads);
        try (JavaSparkContext sc = SparkSessions.start(run, out)) {
            report.header(sc.master(), Trainer.describe(sc, run.training().transport()),
                    ModelFlops.trainingFlopsPerSample(run.model()));

            for (ModelFlops.Gemm g : ModelFlops.forwardGemms(run.model(), batch)) {
                report.roofline(g.layer(), g, GemmRoofline.gflops(g.m(), g.k(), g.n(), threads, seconds / 2));
            }
            ModelFlops.Gemm big = new ModelFlops.Gemm("1024^3", 1024, 1024, 1024);
            report.roofline(big.layer(), big, GemmRoofline.gflops(1024, 1024, 1024, threads, seconds / 2));
            report.roofline1024SingleThread(GemmRoofline.gflops(1024, 1024, 1024, 1, seconds / 2));

            Batch sample = TrainingSample.first(sc, run, Math.max(kernelRows, batch));
            DataBlock rows = new DataBlock(sample.rows(), Math.toIntExact(sample.features().length() / sample.rows()),
                    flat(sample.features()), flat(sample.labels()));
            report.kernel(KernelThroughput.samplesPerSecond(run.model(), run.optimizer(), rows, batch,
                    run.training().localSteps(), run.training().seed(), threads, seconds));
            report.opShares(OpProfile.measure(run.model(), run.optimizer(), rows, batch, run.training().seed(),
                    KernelThroughput.warmupSeconds(seconds), seconds / 2));

            LoadedData data = TrainingData.load(sc, run);
            SparkSessions.inputsAccepted();
            try {
                for (RunConfig r : perMode.values()) {
                    report.mode(ModeThroughput.measure(sc, r.model(), r.optimizer(), r.training(), data.train(),
                            KernelThroughput.warmupSeconds(seconds), 2 * seconds));
                }
                if (!perMode.isEmpty()) {
                    report.kernelAgain(KernelThroughput.samplesPerSecond(run.model(), run.optimizer(), rows, batch,
                            run.training().localSteps(), run.training().seed(), threads, seconds));
                }
                if (memoryEpochs > 0) {
                    RunConfig r = withSettings(run.training().mode().configName(), memoryEpochs);
                    report.memoryRun(ModeThroughput.measure(sc, r.model(), r.optimizer(), r.training(), data.train(),
                            0, 0));
                }
            } finally {
                data.release();
            }
            report.memory(ProcessMemory.current(), BenchReport.executorMemory(sc, threads));
        }
        report.summary();
        return 0;
    }

    private static float[] flat(org.nd4j.linalg.api.ndarray.INDArray a) {
        return org.nd4j.linalg.factory.Nd4j.toFlattened('c', a).toFloatVector();
    }

    private RunConfig withSettings(String mode, int epochCount) {
        List<String> all = new ArrayList<>(overrides);
        all.add("training.mode=" + mode);
        all.add("training.epochs=" + epochCount);
        return GradcheckCommand.load(config, all);
    }
}
