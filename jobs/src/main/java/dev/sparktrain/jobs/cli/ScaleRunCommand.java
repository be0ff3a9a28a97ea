package dev.sparktrain.jobs.cli;

import dev.sparktrain.jobs.bench.scale.LinkRate;
import dev.sparktrain.jobs.bench.scale.ScaleMeasure;
import dev.sparktrain.jobs.bench.scale.ScaleRun;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.LoadedData;
import dev.sparktrain.jobs.run.TrainingData;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scale-run CONFIG}: one worker count of {@code bin/sparktrain bench-scale}'s grid, run by it as the driver on
 * the driver's host of {@code bin/netns-cluster} (under spark-submit, whose master it uses): for each link rate, mode
 * and exchange, a fixed number of rounds on {@code training.workers} workers, the round's time split and the driver
 * link's bytes.
 * Prints one {@code SCALE key=value} line per figure, the input of {@code scale-model}.
 */
@Command(name = "scale-run", mixinStandardHelpOptions = true,
        description = "One worker count of bench-scale: round time split and driver link bytes per link rate, mode "
                + "and exchange (run by bin/sparktrain bench-scale on a bin/netns-cluster host).")
final class ScaleRunCommand implements Callable<Integer> {

    /**
     * The config key of the exchange's topology; {@code star} is today's exchange and needs no key, so a grid of star
     * alone runs on any version.
     */
    static final String EXCHANGE_KEY = "training.exchange.topology";

    @Parameters(index = "0", paramLabel = "CONFIG", description = "YAML training config")
    Path config;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--modes", split = ",", paramLabel = "MODE", description = "default: ${DEFAULT-VALUE}")
    List<String> modes = List.of("sync", "average", "outer");

    @Option(names = "--exchanges", split = ",", paramLabel = "EXCHANGE", description = "star, tree (default: "
            + "${DEFAULT-VALUE})")
    List<String> exchanges = List.of("star");

    @Option(names = "--links", split = ",", paramLabel = "RATE",
            description = "The links' tc rates to measure, in order (100mbit, 1gbit, none; default: ${DEFAULT-VALUE})")
    List<String> links = List.of("none");

    /**
     * Reshapes the links before each rate's runs, so that one Spark application serves every rate: its start (the whole job
     * jar to every executor) then crosses the links once, unshaped, rather than once per rate.
     */
    @Option(names = "--shape-command", paramLabel = "CMD",
            description = "Shell command that shapes the links to {rate} (bench-scale: bin/netns-cluster shape ...);"
                    + " needed for more than one rate")
    String shapeCommand;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds per run (default: ${DEFAULT-VALUE})")
    int rounds = 12;

    @Option(names = "--warmup-rounds", paramLabel = "N",
            description = "Rounds before the measured ones (default: ${DEFAULT-VALUE})")
    int warmupRounds = 4;

    @Option(names = "--link-device", paramLabel = "DEV",
            description = "The driver host's link (default: ${DEFAULT-VALUE})")
    String device = "eth0";

    @Override
    public Integer call() {
        if (rounds < 1 || warmupRounds < 1) {
            throw new IllegalArgumentException("--rounds and --warmup-rounds must be >= 1, got " + rounds + " and "
                    + warmupRounds);
        }
        links.forEach(LinkRate::parse);
        if (links.size() > 1 && shapeCommand == null) {
            throw new IllegalArgumentException("--links names " + links.size() + " rates: --shape-command must say how"
                    + " to shape the links to each");
        }
        for (String e : exchanges) {
            if (!e.equals("star") && !e.equals("tree")) {
                throw new IllegalArgumentException("--exchanges: expected star or tree, got '" + e + "'");
            }
        }
        List<RunConfig> runs = new ArrayList<>();
        for (String mode : modes) {
            for (String exchange : exchanges) {
                List<String> all = new ArrayList<>(overrides);
                all.add("training.mode=" + mode);
                if (!exchange.equals("star")) {
                    all.add(EXCHANGE_KEY + "=" + exchange);
                }
                runs.add(GradcheckCommand.load(config, all)); // every cell is validated before Spark starts
            }
        }
        PrintStream out = System.out;
        RunConfig first = runs.get(0);
        try (JavaSparkContext sc = SparkSessions.start(first, out)) {
            LoadedData data = TrainingData.load(sc, first);
            SparkSessions.inputsAccepted();
            try {
                for (String link : links) {
                    if (shapeCommand != null) {
                        shape(link);
                    }
                    int i = 0;
                    for (String mode : modes) {
                        for (String exchange : exchanges) {
                            ScaleMeasure.Measured m = ScaleMeasure.measure(sc, runs.get(i++), data.train(), link,
                                    exchange, warmupRounds, rounds, device);
                            ScaleRun r = m.run();
                            out.printf(Locale.ROOT, "%-26s round %8.4f s = compute %8.4f + comm %8.4f + update %7.4f;"
                                            + " efficiency %.3f; driver link %9.0f B in, %9.0f B out per round%n",
                                    r.key(), r.roundSeconds(), r.computeSeconds(), r.commSeconds(), r.updateSeconds(),
                                    r.efficiency(), r.driverInBytes(), r.driverOutBytes());
                            r.figures().forEach((k, v) -> out.println("SCALE " + k + "=" + v));
                            // The trailing round and the block's end (every worker's carry back to the driver):
                            // what the driver's link moves once per block, on top of the rounds'.
                            out.println("SCALE " + r.key() + ".block_end_in_bytes="
                                    + Math.round(m.tail().receivedBytes() - r.driverInBytes()));
                            out.println("SCALE " + r.key() + ".block_end_out_bytes="
                                    + Math.round(m.tail().sentBytes() - r.driverOutBytes()));
                        }
                    }
                }
            } finally {
                data.release();
            }
        }
        return 0;
    }

    private void shape(String link) {
        String command = shapeCommand.replace("{rate}", link);
        try {
            Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new UncheckedIOException(new IOException("--shape-command failed (exit " + p.exitValue()
                        + "): " + command));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--shape-command could not run: " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while shaping the links", e);
        }
    }
}
