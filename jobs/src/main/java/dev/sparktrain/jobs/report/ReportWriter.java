package dev.sparktrain.jobs.report;

import dev.sparktrain.jobs.run.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;

/**
 * Writes a run's report into its run directory: PNG charts ({@code report-*.png}) and {@code report.html}, from
 * {@code metrics.jsonl} and, when present, {@code confusion.json}. Every chart is drawn in memory before
 * anything is written, each file is replaced atomically, and the HTML comes last, so a failure never leaves a
 * page that points at missing or half-written images.
 */
public final class ReportWriter {

    public static final String REPORT_FILE = "report.html";
    public static final String METRICS_FILE = "metrics.jsonl";

    static {
        // Charts are drawn with Java2D into images; on a cluster node or in CI there is no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ReportWriter() {
    }

    /**
     * Writes the report for {@code runDir} and returns the files written, images first and the HTML last.
     *
     * @throws IllegalArgumentException when the run directory has no readable metrics, or a bad confusion.json
     */
    public static List<Path> write(Path runDir) {
        return write(runDir, ReportStatus.finished());
    }

    /**
     * Writes the report for {@code runDir} as {@code status} says: a live report that reloads itself while the run
     * goes on, or a final one. Returns the files written, images first and the HTML last.
     *
     * @throws IllegalArgumentException when the run directory has no readable metrics, or a bad confusion.json
     */
    public static List<Path> write(Path runDir, ReportStatus status) {
        MetricsLog log = MetricsLog.read(runDir.resolve(METRICS_FILE));
        Optional<ConfusionMatrix> confusion = ConfusionMatrix.readIfPresent(runDir);
        List<Figure> figures = Figures.build(log, confusion);
        Map<Path, byte[]> files = new LinkedHashMap<>();
        for (Figure f : figures) {
            files.put(runDir.resolve(f.fileName()), png(f));
        }
        String name = runDir.toAbsolutePath().normalize().getFileName() == null ? runDir.toString()
                : runDir.toAbsolutePath().normalize().getFileName().toString();
        files.put(runDir.resolve(REPORT_FILE),
                HtmlReport.render(name, log, confusion, figures, status).getBytes(StandardCharsets.UTF_8));
        List<Path> written = new ArrayList<>();
        files.forEach((path, bytes) -> {
            AtomicFiles.write(path, bytes);
            written.add(path);
        });
        return written;
    }

    private static byte[] png(Figure f) {
        try {
            return BitmapEncoder.getBitmapBytes(f.chart(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + f.fileName(), e);
        }
    }

    /** {@code ReportWriter RUN_DIR}: writes the report and prints the files; bad input is one line, exit 2. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ReportWriter RUN_DIR (a directory with metrics.jsonl)");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        if (!Files.isDirectory(runDir)) {
            System.err.println("error: expected a run directory, got " + runDir);
            System.exit(2);
        }
        try {
            write(runDir).forEach(System.out::println);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
