package dev.sparktrain.jobs.cli;

import dev.sparktrain.jobs.bench.scale.CostModel;
import dev.sparktrain.jobs.bench.scale.ScaleRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scale-model FILE...}: the cost model of {@link CostModel}, calibrated on the {@code SCALE} lines that
 * {@code scale-run} printed (no Spark). Prints each measured run's efficiency beside the model's prediction for it, the
 * model fitted on all the other runs (leave one out), then predictions for larger clusters and models: compute and
 * update per round from the smallest measured cluster of each mode, scaled with the parameter count.
 */
@Command(name = "scale-model", mixinStandardHelpOptions = true,
        description = "Fit bench-scale's cost model to scale-run's SCALE lines; predict larger clusters and models.")
final class ScaleModelCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files holding scale-run's SCALE lines")
    List<Path> files;

    @Option(names = "--predict-workers", split = ",", paramLabel = "N",
            description = "Cluster sizes to predict (default: ${DEFAULT-VALUE})")
    List<Integer> predictWorkers = List.of(16, 32, 64, 128, 256);

    @Option(names = "--predict-params", split = ",", paramLabel = "P",
            description = "Model sizes to predict, in parameters (default: ${DEFAULT-VALUE})")
    List<Long> predictParams = List.of(1_000_000L, 5_000_000L, 25_000_000L);

    @Override
    public Integer call() {
        List<ScaleRun> runs = read(files);
        CostModel model = CostModel.fit(runs);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "cost model (fitted on %d runs): comm = %.4f s + kappa x 8V/rate + %.3f ns/byte x V,"
                        + " kappa %s; V = bytes on the critical path (star: 2N vectors; tree: the binary fan-out of"
                        + " the task, then the pipelined chain of sums in 64k-float pieces), a vector = 4 bytes x"
                        + " parameters%n", runs.size(), model.alphaSeconds(),
                model.gammaSecondsPerByte() * 1e9, model.kappaByLink());
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("model.runs", Integer.toString(runs.size()));
        figures.put("model.alpha_s", num(model.alphaSeconds()));
        figures.put("model.gamma_ns_per_byte", num(model.gammaSecondsPerByte() * 1e9));
        model.kappaByLink().forEach((link, kappa) -> figures.put("model.kappa_" + link, num(kappa)));

        out.println("measured against predicted (model fitted on the other runs):");
        out.printf(Locale.ROOT, "  %-26s %9s %9s %9s %9s %8s%n", "run", "round s", "comm s", "eff", "predicted",
                "error");
        double worst = 0;
        for (ScaleRun r : runs) {
            CostModel check = runs.size() > 2 ? CostModel.fitWithout(runs, r) : model;
            double predicted = check.efficiency(r);
            double error = (predicted - r.efficiency()) / r.efficiency();
            if (r.workers() >= 2) {
                worst = Math.max(worst, Math.abs(error));
            }
            out.printf(Locale.ROOT, "  %-26s %9.4f %9.4f %9.3f %9.3f %+7.1f%%%n", r.key(), r.roundSeconds(),
                    r.commSeconds(), r.efficiency(), predicted, 100 * error);
            figures.put(r.key() + ".efficiency", String.format(Locale.ROOT, "%.4f", r.efficiency()));
            figures.put(r.key() + ".efficiency_predicted", String.format(Locale.ROOT, "%.4f", predicted));
        }
        figures.put("model.worst_error_n2_to_8", String.format(Locale.ROOT, "%.4f", worst));
        out.printf(Locale.ROOT, "  worst |error| for N >= 2: %.1f%%%n", 100 * worst);

        predict(runs, model, out, figures);
        figures.forEach((k, v) -> out.println("SCALE " + k + "=" + v));
        return 0;
    }

    private void predict(List<ScaleRun> runs, CostModel model, PrintStream out, Map<String, String> figures) {
        Set<String> links = new LinkedHashSet<>();
        Set<String> modes = new LinkedHashSet<>();
        Set<String> exchanges = new LinkedHashSet<>(List.of("star", "tree"));
        runs.forEach(r -> {
            links.add(r.link());
            modes.add(r.mode());
        });
        out.println("predicted efficiency (compute and update per round of each mode's smallest measured cluster,"
                + " scaled with the parameters):");
        for (String mode : modes) {
            ScaleRun base = runs.stream().filter(r -> r.mode().equals(mode))
                    .min(Comparator.comparingInt(ScaleRun::workers).thenComparing(ScaleRun::roundSeconds)).orElseThrow();
            for (long params : predictParams) {
                double compute = base.computeSeconds() * params / base.parameters();
                double update = base.updateSeconds() * params / base.parameters();
                for (String link : links) {
                    for (String exchange : exchanges) {
                        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                                "  %-7s %3.0fM params %-8s %-5s compute %7.3f s:", mode, params / 1e6, link, exchange,
                                compute));
                        for (int n : predictWorkers) {
                            double e = model.efficiency(compute, update, exchange, n, params, link);
                            line.append(String.format(Locale.ROOT, "  N=%d %.3f", n, e));
                            figures.put(String.format(Locale.ROOT, "predict.n%d.%s.%s.%s.p%dm.efficiency", n, link,
                                    mode, exchange, params / 1_000_000), String.format(Locale.ROOT, "%.4f", e));
                        }
                        double need = model.computeFor(0.8, update, exchange, 64, params, link);
                        line.append(String.format(Locale.ROOT, "  (0.8 at N=64 needs %.2f s compute per round)",
                                need));
                        figures.put(String.format(Locale.ROOT, "predict.n64.%s.%s.%s.p%dm.compute_s_for_0.8", link,
                                mode, exchange, params / 1_000_000), num(need));
                        out.println(line);
                    }
                }
            }
        }
    }

    /** The runs described by the SCALE lines of the files, in the order they first appear. */
    static List<ScaleRun> read(List<Path> files) {
        Map<String, String> figures = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("SCALE n")) {
                    continue;
                }
                int eq = line.indexOf('=');
                int dot = eq < 0 ? -1 : line.lastIndexOf('.', eq);
                if (dot < 0) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected SCALE KEY.FIGURE=VALUE, "
                            + "got '" + line + "'");
                }
                figures.put(line.substring(6, eq), line.substring(eq + 1).strip());
                keys.add(line.substring(6, dot));
            }
        }
        List<ScaleRun> runs = new ArrayList<>();
        for (String key : keys) {
            runs.add(ScaleRun.fromFigures(key, figures));
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("expected SCALE lines of scale-run in " + files + ", found none");
        }
        return runs;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
