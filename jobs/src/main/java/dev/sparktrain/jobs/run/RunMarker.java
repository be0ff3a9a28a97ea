package dev.sparktrain.jobs.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The file {@code .sparktrain-run} that sparktrain writes into every run directory it creates: it is what lets
 * {@code --overwrite} tell a run (which it may replace) from any other folder (which it never touches). It holds
 * a format version and where and when the run was created:
 * <pre>
 * sparktrain-run 1
 * created 2026-12-07T14:02:11Z
 * config conf/examples/fashion-mlp.yaml
 * </pre>
 */
public final class RunMarker {

    public static final String FILE_NAME = ".sparktrain-run";
    static final String FIRST_LINE = "sparktrain-run 1";

    private RunMarker() {
    }

    /** Whether {@code dir} holds a marker of this format (an older or newer one is not a run this version knows). */
    public static boolean isRun(Path dir) {
        Path marker = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            return !lines.isEmpty() && lines.get(0).strip().equals(FIRST_LINE);
        } catch (IOException e) {
            return false;
        }
    }

    static void write(Path dir, Path config) {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), FIRST_LINE + "\ncreated "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\nconfig " + config + "\n");
    }
}
