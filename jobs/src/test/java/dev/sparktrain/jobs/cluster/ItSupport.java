package dev.sparktrain.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the cluster integration tests share: clearing their work folder and timing their steps. */
final class ItSupport {

    private ItSupport() {
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Seconds since {@code startNanos} ({@link System#nanoTime()}). */
    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
