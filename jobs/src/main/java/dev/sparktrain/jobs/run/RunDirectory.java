package dev.sparktrain.jobs.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's output directory: {@code config.yaml} (the resolved config), {@code checkpoints/}, {@code metrics.jsonl},
 * {@code model/}. An existing run is never touched unless the user asks: {@code --resume} continues it,
 * {@code --overwrite} replaces it.
 */
public final class RunDirectory {

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** Checks {@code dir} against the flags and creates it for a new run. */
    public static RunDirectory prepare(Path dir, boolean resume, boolean overwrite) {
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
        boolean exists = Files.exists(dir);
        if (exists && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": exists and is not a directory");
        }
        if (resume) {
            if (!exists) {
                throw new IllegalArgumentException("--resume: run directory " + dir + " does not exist");
            }
            return new RunDirectory(dir);
        }
        if (exists && !isEmpty(dir)) {
            if (!overwrite) {
                throw new IllegalArgumentException(dir + ": run directory exists; use --resume to continue it or"
                        + " --overwrite to replace it");
            }
            deleteRecursively(dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot create run directory: " + e.getMessage());
        }
        return new RunDirectory(dir);
    }

    public Path root() {
        return root;
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path model() {
        return root.resolve("model");
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    /** Writes {@code text} to {@code file} through a temporary file and an atomic rename. */
    public static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list run directory: " + e.getMessage());
        }
    }

    public static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
