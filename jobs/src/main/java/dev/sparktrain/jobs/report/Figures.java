package dev.sparktrain.jobs.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Builds the report's charts from the run's metrics. Fields are named, not hard-wired: charting a new per-round
 * field (learning rate, gradient norm, ...) is one more entry in {@link #ROUND_CHARTS}, a new time component one
 * more entry in {@link #EPOCH_TIME_PARTS}. A chart whose fields have no finite value is left out.
 */
final class Figures {

    static final int WIDTH = 800;
    static final int HEIGHT = 400;
    static final int SQUARE = 640;

    /** A per-round field drawn against training progress (in epochs). */
    record RoundChart(String field, String title, String yTitle, String fileName) {
    }

    static final List<RoundChart> ROUND_CHARTS = List.of(
            new RoundChart("loss", "Training loss per round", "loss", "report-round-loss.png"),
            new RoundChart("learningRate", "Learning rate per round", "learning rate", "report-learning-rate.png"),
            new RoundChart("gradientNorm", "Gradient L2 norm per round", "L2 norm", "report-gradient-norm.png"),
            new RoundChart("updateNorm", "Update L2 norm per round", "L2 norm", "report-update-norm.png"),
            new RoundChart("updateRatio", "Update/parameter norm ratio per round", "||update|| / ||params||",
                    "report-update-ratio.png"),
            new RoundChart("seconds", "Wall time per round", "seconds", "report-round-seconds.png"));

    /** Epoch fields stacked into the time breakdown, bottom first. */
    static final List<String> EPOCH_TIME_PARTS = List.of("trainSeconds", "evalSeconds");

    /** Round fields that add up to a round's wall time, stacked (as means per epoch) bottom first. */
    static final List<String> ROUND_TIME_PARTS = List.of("broadcastSeconds", "fetchSeconds", "computeSeconds",
            "sparkSeconds", "driverSeconds");

    private Figures() {
    }

    static List<Figure> build(MetricsLog log, Optional<ConfusionMatrix> confusion) {
        List<Figure> figures = new ArrayList<>();
        List<MetricRow> epochs = log.epochs();
        if (MetricsLog.hasValues(epochs, "trainLoss") || MetricsLog.hasValues(epochs, "testLoss")) {
            XYChart chart = xy("Loss per epoch", "epoch", "loss");
            addLine(chart, "train", epochs, MetricRow::epoch, "trainLoss", true);
            addLine(chart, "test", epochs, MetricRow::epoch, "testLoss", true);
            perEpoch(chart, epochs);
            figures.add(new Figure("report-loss.png", "Loss per epoch",
                    "Mean training loss over the epoch's rounds, and loss on the test set after the epoch.", chart));
        }
        if (MetricsLog.hasValues(epochs, "testAccuracy")) {
            XYChart chart = xy("Test accuracy per epoch", "epoch", "accuracy");
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            addLine(chart, "test", epochs, MetricRow::epoch, "testAccuracy", true);
            perEpoch(chart, epochs);
            figures.add(new Figure("report-accuracy.png", "Test accuracy per epoch",
                    "Fraction of test examples classified correctly after each epoch.", chart));
        }
        for (RoundChart rc : ROUND_CHARTS) {
            if (MetricsLog.hasValues(log.rounds(), rc.field())) {
                XYChart chart = xy(rc.title(), "epoch", rc.yTitle());
                chart.getStyler().setLegendVisible(false);
                chart.getStyler().setXAxisMin(0.0);
                addLine(chart, rc.field(), log.rounds(), MetricRow::epochProgress, rc.field(), false);
                roundNumberTicks(chart);
                padFlatYAxis(chart);
                figures.add(new Figure(rc.fileName(), rc.title(), "Field '" + rc.field()
                        + "' of every round; the x axis counts epochs, so round r of R in epoch e sits at e-1+(r+1)/R.",
                        chart));
            }
        }
        if (EPOCH_TIME_PARTS.stream().anyMatch(f -> MetricsLog.hasValues(epochs, f))) {
            figures.add(new Figure("report-time.png", "Time per epoch", "Seconds per epoch, stacked by part "
                    + String.join(", ", EPOCH_TIME_PARTS) + ".",
                    stackedByEpoch("Time per epoch", epochs, EPOCH_TIME_PARTS)));
        }
        if (ROUND_TIME_PARTS.stream().anyMatch(f -> MetricsLog.hasValues(log.rounds(), f))) {
            figures.add(new Figure("report-round-time.png", "Time per round", "Mean seconds per round in each epoch,"
                    + " stacked: the driver's broadcast, the slowest task's broadcast read and compute, the rest of"
                    + " the Spark job (scheduling, shipping, merging), and the driver's update.",
                    stackedByEpoch("Mean time per round", log.rounds(), ROUND_TIME_PARTS)));
        }
        confusion.ifPresent(m -> figures.add(new Figure("report-confusion.png", "Confusion matrix",
                "Test examples by actual class (rows) and predicted class (columns).", heatMap(m))));
        return figures;
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        // Formatting functions make XChart place ticks at round numbers (with a decimal pattern alone it puts them
        // at the data's own x values: 0.05, 0.11, 0.16, ... for 19 rounds per epoch) and keep labels short.
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Figures::tick);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(Figures::tick);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        return chart;
    }

    /** A tick label: at most 4 significant digits, no trailing zeros, scientific notation for tiny or huge values. */
    static String tick(Double v) {
        double a = Math.abs(v);
        if (a < 1e-12) {
            return "0";
        }
        if (a < 1e-4 || a >= 1e6) {
            String s = String.format(java.util.Locale.ROOT, "%.2e", v);
            return s.replaceFirst("\\.?0+e", "e").replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * XChart puts the x ticks of equally spaced data (rounds: e-1+(r+1)/R) at the data's own values, 0.0526, 0.1053,
     * ... for 19 rounds an epoch; one hidden point left of the axis's start (outside the drawn range) makes the
     * spacing uneven, so the ticks fall on round fractions of an epoch (0.1, 0.2, ... or 1, 2, ...).
     */
    private static void roundNumberTicks(XYChart chart) {
        XYSeries data = chart.getSeriesMap().values().iterator().next();
        double[] x = data.getXData();
        double span = x[x.length - 1] - x[0];
        XYSeries hidden = chart.addSeries(" ", new double[] {-1e-3 * Math.max(span, 1e-9)},
                new double[] {data.getYData()[0]});
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setShowInLegend(false);
    }

    /**
     * Per-epoch charts: ticks at whole epochs only, and a run of one epoch (one point per series) drawn around
     * its point rather than on a collapsed axis.
     */
    private static void perEpoch(XYChart chart, List<MetricRow> epochs) {
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.abs(x - Math.rint(x)) < 1e-9
                ? Long.toString(Math.round(x)) : "");
        int first = epochs.stream().mapToInt(MetricRow::epoch).min().orElse(1);
        int last = epochs.stream().mapToInt(MetricRow::epoch).max().orElse(1);
        if (first == last) {
            chart.getStyler().setXAxisMin(first - 1.0);
            chart.getStyler().setXAxisMax(last + 1.0);
        }
        padFlatYAxis(chart);
    }

    /** A chart whose points all have one y value gets a y range around it (XChart would label it to 15 digits). */
    private static void padFlatYAxis(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double y : series.getYData()) {
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
        }
        if (min <= max && max - min <= 1e-9 * Math.max(1, Math.abs(max))) {
            double pad = Math.abs(max) > 1e-12 ? Math.abs(max) * 0.1 : 1.0;
            chart.getStyler().setYAxisMin(min - pad);
            chart.getStyler().setYAxisMax(max + pad);
        }
    }

    /** Adds the finite points of {@code field}; does nothing when there are none. */
    private static void addLine(XYChart chart, String name, List<MetricRow> rows, ToDoubleFunction<MetricRow> x,
                                String field, boolean markers) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (MetricRow row : rows) {
            double y = row.get(field);
            if (Double.isFinite(y)) {
                xs.add(x.applyAsDouble(row));
                ys.add(y);
            }
        }
        if (!xs.isEmpty()) {
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(markers && xs.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
    }

    /** Stacked bars of each part's mean over the rows of an epoch; a part missing from an epoch counts as 0. */
    private static CategoryChart stackedByEpoch(String title, List<MetricRow> rows, List<String> parts) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle("seconds").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        Map<Integer, List<MetricRow>> byEpoch = new TreeMap<>(rows.stream()
                .collect(Collectors.groupingBy(MetricRow::epoch)));
        chart.getStyler().setXAxisLabelRotation(byEpoch.size() > 20 ? 90 : 0);
        List<Integer> xs = List.copyOf(byEpoch.keySet());
        for (String part : parts) {
            if (MetricsLog.hasValues(rows, part)) {
                List<Double> ys = byEpoch.values().stream().map(epochRows -> epochRows.stream()
                        .mapToDouble(r -> Double.isFinite(r.get(part)) ? r.get(part) : 0.0).average().orElse(0))
                        .toList();
                chart.addSeries(part, xs, ys);
            }
        }
        return chart;
    }

    /** Row 0 (the first actual class) at the top, as confusion matrices are usually read. */
    private static HeatMapChart heatMap(ConfusionMatrix m) {
        int n = m.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(SQUARE).height(SQUARE).title("Confusion matrix")
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(70, 130, 180)});
        chart.getStyler().setShowValue(n <= 20);
        int longest = m.classes().stream().mapToInt(String::length).max().orElse(1);
        chart.getStyler().setXAxisLabelRotation(n * (longest + 1) > 40 ? 45 : 0);
        List<String> actual = new ArrayList<>(m.classes());
        Collections.reverse(actual);
        List<Number[]> cells = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                cells.add(new Number[] {p, n - 1 - a, m.counts()[a][p]});
            }
        }
        chart.addSeries("count", m.classes(), actual, cells);
        return chart;
    }
}
