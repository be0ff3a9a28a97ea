package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real (tiny) training run renders: every image report.html shows decodes and is not blank, and,
 * where Chromium is installed, {@code bin/check-report} opens the page in headless Chromium and sees every image
 * load (skipped without a browser; the script installs Chromium itself when run by root).
 */
class RunReportTest {

    @TempDir
    static Path dir;
    static Path runDir;

    @BeforeAll
    static void train() throws IOException {
        runDir = dir.resolve("run");
        Outcome o = CliFixture.run("train", CliFixture.config(dir, "relu", "scale: 0.00392156862745098").toString(),
                "--out", runDir.toString());
        assertEquals(0, o.exitCode(), o.out() + o.err());
    }

    private static List<String> images() throws IOException {
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(Files.readString(runDir.resolve("report.html")));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyImageOfTheReportDecodesAndIsNotBlank() throws IOException {
        List<String> images = images();
        assertTrue(images.size() >= 8, "images: " + images);
        assertTrue(images.contains("report-confusion.png") && images.contains("report-loss.png"), "images: " + images);
        for (String name : images) {
            BufferedImage image = ImageIO.read(runDir.resolve(name).toFile());
            assertNotNull(image, name + " does not decode");
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 2) {
                for (int x = 0; x < image.getWidth(); x += 2) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 8, name + " looks blank: " + colours.size() + " colours");
        }
    }

    @Test
    void headlessChromiumShowsEveryImage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Chromium not installed (apt-get install chromium)");
        Process p = new ProcessBuilder(Path.of("..", "bin", "check-report").toString(), runDir.toString(),
                dir.resolve("screenshot.png").toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "check-report did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("check-report: OK, " + images().size() + " images rendered"), out);
    }
}
