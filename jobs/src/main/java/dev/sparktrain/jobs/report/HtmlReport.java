package dev.sparktrain.jobs.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report page: a summary, the charts as {@code <img>} with relative paths (so it works offline and from
 * any copy of the run directory), per-class figures and a table of every epoch field. A small script sets
 * {@code document.title} to {@code images-ok:N} once all N images have decoded, or {@code images-broken:...},
 * which {@code bin/check-report} reads from headless Chromium.
 */
final class HtmlReport {

    static final String TITLE_OK = "images-ok:";
    static final String TITLE_BROKEN = "images-broken:";

    private HtmlReport() {
    }

    static String render(String runName, MetricsLog log, Optional<ConfusionMatrix> confusion,
                         List<Figure> figures, ReportStatus status) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        if (status.isLive()) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(status.reloadSeconds()).append("\">\n");
        }
        h.append("<title>sparktrain report: ")
                .append(esc(runName)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}\n")
                .append("table{border-collapse:collapse;margin:8px 0 24px}\n")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-size:13px}\n")
                .append("th{background:#f2f2f2}\nfigure{margin:0 0 24px}\nfigcaption{font-size:13px;color:#555}\n")
                .append(".warn{color:#a00}\n</style>\n</head>\n<body>\n");
        h.append("<h1>Run report: ").append(esc(runName)).append("</h1>\n");
        statusLine(h, log, status);
        summary(h, log, confusion, status);
        for (Figure f : figures) {
            h.append("<figure>\n<img src=\"").append(esc(f.fileName())).append("\" width=\"").append(f.width())
                    .append("\" height=\"").append(f.height()).append("\" alt=\"").append(esc(f.title()))
                    .append("\">\n<figcaption>").append(esc(f.caption())).append("</figcaption>\n</figure>\n");
        }
        confusion.ifPresent(m -> perClass(h, m));
        epochTable(h, log.epochs());
        h.append("<script>\n")
                .append("window.addEventListener('load', function () {\n")
                .append("  var imgs = Array.prototype.slice.call(document.images);\n")
                .append("  var bad = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; })\n")
                .append("               .map(function (i) { return i.getAttribute('src'); });\n")
                .append("  document.title = bad.length ? '").append(TITLE_BROKEN).append("' + bad.join(',')\n")
                .append("                              : '").append(TITLE_OK).append("' + imgs.length;\n")
                .append("});\n</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, MetricsLog log, Optional<ConfusionMatrix> confusion,
                                ReportStatus status) {
        List<MetricRow> epochs = log.epochs();
        h.append("<table>\n");
        row(h, "epochs logged", Integer.toString(epochs.size()));
        row(h, "rounds logged", Integer.toString(log.rounds().size()));
        if (!epochs.isEmpty()) {
            MetricRow last = epochs.get(epochs.size() - 1);
            row(h, "final train loss", num(last.get("trainLoss")));
            row(h, "final test loss", num(last.get("testLoss")));
            row(h, "final test accuracy", num(last.get("testAccuracy")));
            row(h, "best test accuracy", num(epochs.stream().mapToDouble(r -> r.get("testAccuracy"))
                    .filter(Double::isFinite).max().orElse(Double.NaN)));
            double samples = epochs.stream().mapToDouble(r -> r.get("samples")).filter(Double::isFinite).sum();
            double train = epochs.stream().mapToDouble(r -> r.get("trainSeconds")).filter(Double::isFinite).sum();
            double eval = epochs.stream().mapToDouble(r -> r.get("evalSeconds")).filter(Double::isFinite).sum();
            row(h, "training seconds", num(train));
            row(h, "evaluation seconds", num(eval));
            row(h, "samples/s over all epochs (training rounds only)",
                    train > 0 ? String.format(Locale.ROOT, "%.0f", samples / train) : "-");
        }
        confusion.ifPresent(m -> row(h, "accuracy from confusion matrix", num(m.accuracy())));
        h.append("</table>\n");
        // While the run goes on, the line being appended may be read half-written: only a final report counts it.
        if (log.badLines() > 0 && !status.isLive()) {
            h.append("<p class=\"warn\">").append(log.badLines())
                    .append(" line(s) of metrics.jsonl could not be read (cut short by a crash?) and were skipped.</p>\n");
        }
    }

    /** Says whether the run is still going (and that the page reloads) or how it ended, unless it finished. */
    private static void statusLine(StringBuilder h, MetricsLog log, ReportStatus status) {
        List<MetricRow> epochs = log.epochs();
        String progress = epochs.isEmpty() ? "no epoch has ended yet"
                : "after epoch " + num(epochs.get(epochs.size() - 1).epoch()) + " of "
                + num(epochs.get(epochs.size() - 1).get("epochs"));
        String written = java.time.LocalTime.now().withNano(0).toString();
        switch (status.state()) {
            case LIVE -> h.append("<p id=\"run-status\" class=\"live\">Training is running: written ").append(progress)
                    .append(" at ").append(written).append("; this page reloads every ").append(status.reloadSeconds())
                    .append(" s until the run ends.</p>\n");
            case FAILED -> h.append("<p id=\"run-status\" class=\"warn\">The run failed ").append(progress)
                    .append(": ").append(esc(status.detail())).append("</p>\n");
            case INTERRUPTED -> h.append("<p id=\"run-status\" class=\"warn\">The run was interrupted ")
                    .append(progress).append(".</p>\n");
            case FINISHED -> { }
        }
    }

    private static void perClass(StringBuilder h, ConfusionMatrix m) {
        h.append("<h2>Per class</h2>\n<table>\n<tr><th>class</th><th>examples</th><th>recall</th>")
                .append("<th>precision</th><th>F1</th></tr>\n");
        for (int c = 0; c < m.size(); c++) {
            long examples = 0;
            for (long v : m.counts()[c]) {
                examples += v;
            }
            h.append("<tr><td>").append(esc(m.classes().get(c))).append("</td><td>").append(examples)
                    .append("</td><td>").append(num(m.recall(c))).append("</td><td>").append(num(m.precision(c)))
                    .append("</td><td>").append(num(m.f1(c))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** Every field of the epoch lines, so fields added to the driver's records appear without a change here. */
    private static void epochTable(StringBuilder h, List<MetricRow> epochs) {
        if (epochs.isEmpty()) {
            return;
        }
        List<String> fields = MetricsLog.fields(epochs);
        h.append("<h2>Epochs</h2>\n<table>\n<tr>");
        fields.forEach(f -> h.append("<th>").append(esc(f)).append("</th>"));
        h.append("</tr>\n");
        for (MetricRow r : epochs) {
            h.append("<tr>");
            fields.forEach(f -> h.append("<td>").append(num(r.get(f))).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    /** Integers as integers, other numbers to 4 significant digits, NaN as "-". */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
