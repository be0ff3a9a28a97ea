package dev.sparktrain.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final Map<String, int[]> FULL_REPORT = Map.ofEntries(
            Map.entry("report-loss.png", new int[] {800, 400}),
            Map.entry("report-accuracy.png", new int[] {800, 400}),
            Map.entry("report-round-loss.png", new int[] {800, 400}),
            Map.entry("report-learning-rate.png", new int[] {800, 400}),
            Map.entry("report-gradient-norm.png", new int[] {800, 400}),
            Map.entry("report-update-norm.png", new int[] {800, 400}),
            Map.entry("report-update-ratio.png", new int[] {800, 400}),
            Map.entry("report-round-seconds.png", new int[] {800, 400}),
            Map.entry("report-time.png", new int[] {800, 400}),
            Map.entry("report-round-time.png", new int[] {800, 400}),
            Map.entry("report-confusion.png", new int[] {640, 640}));

    private static String html(Path dir) throws IOException {
        return Files.readString(dir.resolve(ReportWriter.REPORT_FILE));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertDrawn(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode as an image");
        assertEquals(width, image.getWidth(), png + " width");
        assertEquals(height, image.getHeight(), png + " height");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 8, png + " looks blank: " + colours.size() + " colours");
    }

    @Test
    void writesEveryChartAndAPageThatShowsThemAll(@TempDir Path dir) throws IOException {
        SyntheticRun.writeMetrics(dir, 5, 40, true);
        SyntheticRun.writeConfusion(dir);

        List<Path> written = ReportWriter.write(dir);

        assertEquals(FULL_REPORT.size() + 1, written.size());
        assertEquals(dir.resolve(ReportWriter.REPORT_FILE), written.get(written.size() - 1), "HTML comes last");
        String html = html(dir);
        for (Map.Entry<String, int[]> e : FULL_REPORT.entrySet()) {
            assertTrue(written.contains(dir.resolve(e.getKey())), "not written: " + e.getKey());
            assertDrawn(dir.resolve(e.getKey()), e.getValue()[0], e.getValue()[1]);
            assertTrue(html.contains("<img src=\"" + e.getKey() + "\""), "HTML does not show " + e.getKey());
        }
        assertEquals(FULL_REPORT.size(), html.split("<img ", -1).length - 1, "one <img> per chart");
        assertTrue(html.contains("Ankle boot"), "class names in the per-class table");
        assertFalse(html.contains("src=\"http"), "no remote resources");
        assertTrue(listing(dir).stream().noneMatch(n -> n.endsWith(".tmp")), "temporary files left: " + listing(dir));
    }

    @Test
    void aRunWithoutTestDataOrConfusionHasNoSuchCharts(@TempDir Path dir) throws IOException {
        SyntheticRun.writeMetrics(dir, 3, 10, false);

        List<Path> written = ReportWriter.write(dir);

        assertFalse(written.contains(dir.resolve("report-accuracy.png")));
        assertFalse(written.contains(dir.resolve("report-confusion.png")));
        assertTrue(written.contains(dir.resolve("report-loss.png")));
        assertFalse(html(dir).contains("report-accuracy.png"));
        assertEquals(written.size() - 1, html(dir).split("<img ", -1).length - 1);
    }

    @Test
    void aResumedRunKeepsTheLastLineOfEachRoundAndReportsCutLines(@TempDir Path dir) throws IOException {
        SyntheticRun.writeMetrics(dir, 2, 4, true);
        Path metrics = dir.resolve(ReportWriter.METRICS_FILE);
        Files.writeString(metrics, "{\"type\":\"round\",\"epo", StandardOpenOption.APPEND);
        SyntheticRun.writeMetrics(dir, 2, 4, true);

        MetricsLog log = MetricsLog.read(metrics);

        assertEquals(8, log.rounds().size());
        assertEquals(2, log.epochs().size());
        assertEquals(0, log.badLines(), "the resumed run's listener replaced the line the crash cut short");
        assertEquals(0.0, log.rounds().get(4).get("round"));
        assertEquals(2, log.rounds().get(4).epoch());
        // A crash that no resume followed leaves its cut line: the report reads around it and says so.
        Files.writeString(metrics, "{\"type\":\"round\",\"epo", StandardOpenOption.APPEND);
        assertEquals(1, MetricsLog.read(metrics).badLines());
        ReportWriter.write(dir);
        assertTrue(html(dir).contains("1 line(s) of metrics.jsonl could not be read"));
    }

    @Test
    void fieldsTheDriverAddsLaterAppearInTheEpochTable(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(ReportWriter.METRICS_FILE),
                "{\"type\":\"round\",\"epoch\":1,\"round\":0,\"rounds\":1,\"loss\":1.0,\"learningRate\":0.01}\n"
                        + "{\"type\":\"epoch\",\"epoch\":1,\"trainLoss\":1.0,\"bytesBroadcast\":123456}\n");

        ReportWriter.write(dir);

        assertTrue(html(dir).contains("<th>bytesBroadcast</th>"));
        assertTrue(html(dir).contains("<td>123456</td>"));
    }

    @Test
    void aBareConfusionArrayNamesClassesByIndex(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(ConfusionMatrix.FILE_NAME), "[[5, 1], [2, 7]]");

        ConfusionMatrix m = ConfusionMatrix.readIfPresent(dir).orElseThrow();

        assertEquals(List.of("0", "1"), m.classes());
        assertEquals(12.0 / 15, m.accuracy(), 1e-12);
        assertEquals(5.0 / 6, m.recall(0), 1e-12);
        assertEquals(5.0 / 7, m.precision(0), 1e-12);
    }

    @Test
    void aMissingMetricsFileIsNamedAndNothingIsWritten(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(dir));

        assertTrue(e.getMessage().startsWith("expected a metrics file at "), e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void aBadConfusionMatrixIsNamedAndNothingIsWritten(@TempDir Path dir) throws IOException {
        SyntheticRun.writeMetrics(dir, 2, 4, true);
        Files.writeString(dir.resolve(ConfusionMatrix.FILE_NAME), "[[5, 1, 0], [2, 7, 1]]");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(dir));

        assertEquals("confusion matrix must be square: expected 2 columns in row 0, got 3", e.getMessage());
        assertEquals(List.of(ConfusionMatrix.FILE_NAME, ReportWriter.METRICS_FILE), listing(dir));
    }

    @Test
    void wrongClassNamesAreRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(ConfusionMatrix.FILE_NAME), "{\"classes\":[\"a\"],\"matrix\":[[1,0],[0,1]]}");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.readIfPresent(dir));

        assertEquals("expected 2 class names, got 1", e.getMessage());
    }

    @Test
    void rewritingAReportReplacesItInPlace(@TempDir Path dir) throws IOException {
        SyntheticRun.writeMetrics(dir, 2, 4, true);
        ReportWriter.write(dir);
        List<String> first = listing(dir);
        SyntheticRun.writeMetrics(dir, 3, 4, true);

        ReportWriter.write(dir);

        assertEquals(first, listing(dir));
        assertTrue(html(dir).contains("<tr><th>epochs logged</th><td>3</td></tr>"), html(dir));
    }

    @Test
    void thePerClassTableHasF1AndAxisLabelsAreRounded(@TempDir Path dir) throws IOException {
        SyntheticRun.writeMetrics(dir, 1, 7, true);
        SyntheticRun.writeConfusion(dir);
        ReportWriter.write(dir);
        String html = html(dir);
        assertTrue(html.contains("<th>recall</th><th>precision</th><th>F1</th>"), "F1 column");
        ConfusionMatrix m = new ConfusionMatrix(new long[][] {{3, 1}, {2, 4}}, List.of("a", "b"));
        assertEquals(2.0 * 3 / (2 * 3 + 2 + 1), m.f1(0), 1e-12);
        assertEquals(2.0 * 4 / (2 * 4 + 1 + 2), m.f1(1), 1e-12);
        assertEquals("0.4912", Figures.tick(0.49121658979919));
        assertEquals("0.1", Figures.tick(0.1000000001));
        assertEquals("1200", Figures.tick(1200.0));
        assertEquals("0.00025", Figures.tick(0.00025));
        assertEquals("2.5e-5", Figures.tick(0.000025));
        assertEquals("0", Figures.tick(0.0));
        assertDrawn(dir.resolve("report-loss.png"), Figures.WIDTH, Figures.HEIGHT);
        assertDrawn(dir.resolve("report-round-loss.png"), Figures.WIDTH, Figures.HEIGHT);
    }
}
