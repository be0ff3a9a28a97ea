package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.MetricsJsonlListener;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.jobs.data.LoadedData;
import dev.sparktrain.driver.SparkFixture;
import dev.sparktrain.jobs.report.LiveReport;
import dev.sparktrain.jobs.report.ReportStatus;
import dev.sparktrain.jobs.run.TrainingData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report can be watched while a run trains: a real (tiny) run is held after its second of three epochs while
 * headless Chromium opens {@code report.html} ({@code bin/check-report}): the page shows the two epochs so far, says
 * the run is going and reloads itself; when the run ends the page is final and no longer reloads. A run that fails
 * or is interrupted leaves a static page that says so. Chromium is skipped where it is not installed
 * ({@code .ci/run} installs it).
 */
class LiveReportTest {

    /** Holds the training thread after an epoch until the test has looked. */
    private static final class Gate implements TrainingListener {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final int epoch;

        Gate(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            if (m.epoch() == epoch) {
                reached.countDown();
                try {
                    release.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static RunConfig config(Path dir) throws Exception {
        ConfigTree tree = ConfigTree.read(CliFixture.config(dir, "relu", "scale: 0.0039"));
        tree.set("training.epochs=3");
        return RunConfigParser.parse(tree);
    }

    /** Checks the page in Chromium; returns the DOM it built. */
    private static String openInChromium(Path runDir, Path dir) throws Exception {
        Path dom = dir.resolve("dom-" + System.nanoTime() + ".html");
        Process p = new ProcessBuilder(Path.of("..", "bin", "check-report").toString(), "--dom", dom.toString(),
                runDir.toString(), dir.resolve("shot.png").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "check-report did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("check-report: OK"), out);
        return Files.readString(dom);
    }

    /** The live report, once it shows {@code text} (it is written by a thread of its own after the epoch). */
    private static String awaitReport(Path runDir, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Path page = runDir.resolve("report.html");
            if (Files.isRegularFile(page)) {
                String html = Files.readString(page);
                if (html.contains(text)) {
                    return html;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("report.html never showed '" + text + "'");
    }

    private static int epochRows(String html) {
        Matcher m = Pattern.compile("<h2>Epochs</h2>\\s*<table>(.*?)</table>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no epoch table");
        return m.group(1).split("<tr>", -1).length - 2;
    }

    @Test
    void theReportShowsTheEpochsSoFarInChromiumAndBecomesStaticAtTheEnd(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Chromium not installed (apt-get install chromium)");
        RunConfig run = config(dir);
        Path runDir = dir.resolve("run");
        Files.createDirectories(runDir);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        SparkFixture.stop();
        Gate gate = new Gate(2);
        List<String> warnings = new ArrayList<>();
        try (JavaSparkContext sc = SparkSessions.start(run, out);
             MetricsJsonlListener metrics = MetricsJsonlListener.inRunDir(runDir)) {
            LoadedData data = TrainingData.load(sc, run);
            CachedBlocks train = data.train();
            LiveReport report = LiveReport.start(runDir, out::println, warnings::add);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("report: " + runDir.resolve("report.html")
                    .toAbsolutePath().toUri()), "the start of the run says where the report is");
            assertFalse(Files.exists(runDir.resolve("report.html")), "no report before the first epoch");
            Trainer trainer = Trainer.builder(sc, run.model(), run.optimizer(), run.training())
                    .listeners(List.of(metrics, report, gate)).build();
            Thread training = new Thread(() -> trainer.fit(train, data.test()), "training");
            training.start();
            assertTrue(gate.reached.await(5, TimeUnit.MINUTES), "epoch 2 never ended");
            try {
                String live = awaitReport(runDir, "after epoch 2 of 3");
                assertTrue(live.contains("<meta http-equiv=\"refresh\" content=\"" + ReportStatus.RELOAD_SECONDS
                        + "\">"), "a live page reloads itself");
                String dom = openInChromium(runDir, dir);
                assertTrue(dom.contains("Training is running: written after epoch 2 of 3"), dom);
                assertEquals(2, epochRows(dom), "the epochs so far");
            } finally {
                gate.release.countDown();
            }
            training.join(TimeUnit.MINUTES.toMillis(5));
            assertFalse(training.isAlive());
            metrics.close();
            report.finish();
            String last = Files.readString(runDir.resolve("report.html"));
            assertFalse(last.contains("http-equiv=\"refresh\""), "the final page does not reload");
            assertFalse(last.contains("Training is running"), last);
            assertEquals(3, epochRows(openInChromium(runDir, dir)));
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aRunThatFailsOrIsInterruptedLeavesAStaticPageSayingSo(@TempDir Path dir) throws Exception {
        Path config = CliFixture.config(dir, "relu", "scale: 0.0039");
        Path runDir = dir.resolve("run");
        CliFixture.Outcome done = CliFixture.run("train", config.toString(), "--out", runDir.toString());
        assertEquals(0, done.exitCode(), done.err());
        LiveReport failed = LiveReport.start(runDir, line -> { }, line -> { });
        failed.onEpoch(null);
        awaitReport(runDir, "http-equiv=\"refresh\"");
        failed.abandon(ReportStatus.failed("epoch 3, round 4: loss is NaN"));
        String page = Files.readString(runDir.resolve("report.html"));
        assertFalse(page.contains("http-equiv=\"refresh\""));
        assertTrue(page.contains("The run failed after epoch 2 of 2: epoch 3, round 4: loss is NaN"), page);
        failed.onEpoch(null);
        assertFalse(Files.readString(runDir.resolve("report.html")).contains("http-equiv=\"refresh\""),
                "an abandoned report stays static");

        LiveReport interrupted = LiveReport.start(runDir, line -> { }, line -> { });
        interrupted.abandon(ReportStatus.interrupted());
        assertTrue(Files.readString(runDir.resolve("report.html")).contains("The run was interrupted after epoch 2"));
    }
}
