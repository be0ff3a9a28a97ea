package dev.sparktrain.jobs.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's output directory: {@code .sparktrain-run} (the {@link RunMarker}), {@code config.yaml} (the resolved
 * config), {@code checkpoints/}, {@code metrics.jsonl}, {@code model/}, the report. Nothing a user owns is lost:
 * <ol>
 *   <li>{@link #plan} checks everything without changing the disk: the flags, that an existing directory may be
 *       continued ({@code --resume}) or replaced ({@code --overwrite}: only a run sparktrain created, never the
 *       current directory or one above it, never one that holds the run's config or data), and that the directory
 *       can be created;</li>
 *   <li>{@link #open}, once the config and data have been read and checked, creates the directory; an old run that
 *       {@code --overwrite} replaces is moved aside to {@code NAME.overwritten-DATE-TIME} next to it;</li>
 *   <li>{@link #keep}, at the new run's first checkpoint (or its end), deletes the old run;</li>
 *   <li>{@link #abandon}, on any failure before that, removes the new directory and puts the old run back.</li>
 * </ol>
 */
public final class RunDirectory {

    /** What the command line asked for. */
    public enum Mode { NEW, RESUME, OVERWRITE }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;
    private final Mode mode;
    private final Path config;
    /** Whether the directory existed (empty) before this run: it is emptied, not removed, when abandoned. */
    private final boolean existedEmpty;
    private Path aside;
    private Path firstCreated;
    private boolean opened;
    private boolean kept;
    private boolean abandoned;

    private RunDirectory(Path root, Mode mode, Path config, boolean existedEmpty) {
        this.root = root;
        this.mode = mode;
        this.config = config;
        this.existedEmpty = existedEmpty;
    }

    /**
     * Checks {@code dir} for a run in {@code mode}, changing nothing. {@code inputs} are the run's config file and
     * data paths (plain paths, {@code file:} URIs or globs; other URIs are ignored).
     */
    public static RunDirectory plan(Path dir, Mode mode, Path config, List<String> inputs) {
        boolean exists = Files.exists(dir);
        if (exists && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": exists and is not a directory");
        }
        boolean empty = exists && isEmpty(dir);
        if (mode == Mode.RESUME) {
            if (!exists) {
                throw new IllegalArgumentException("--resume: run directory " + dir + " does not exist");
            }
            requireWritable(dir);
            return new RunDirectory(dir, mode, config, false);
        }
        if (exists && !empty) {
            if (mode == Mode.NEW) {
                throw new IllegalArgumentException(existsMessage(dir));
            }
            requireReplaceable(dir, config, inputs);
            requireWritable(dir.toAbsolutePath().getParent());
            return new RunDirectory(dir, mode, config, false);
        }
        if (exists) {
            requireWritable(dir);
        } else {
            OutputPaths.requireCreatable(dir, "the run directory");
        }
        return new RunDirectory(dir, mode, config, empty);
    }

    private static String existsMessage(Path dir) {
        if (!RunMarker.isRun(dir)) {
            return dir + ": exists, is not empty and is not a sparktrain run directory; choose another --out";
        }
        if (!hasCheckpoint(dir)) {
            return dir + ": run directory exists and has no checkpoint (stopped before its first one); use --resume"
                    + " to start it again from the beginning or --overwrite to replace it";
        }
        return dir + ": run directory exists; use --resume to continue it or --overwrite to replace it";
    }

    /** The refusals of {@code --overwrite}, most specific first. */
    private static void requireReplaceable(Path dir, Path config, List<String> inputs) {
        Path real = OutputPaths.real(dir);
        Path cwd = OutputPaths.real(Path.of(""));
        String refused = "--overwrite refuses to replace " + dir + ": ";
        if (cwd.startsWith(real)) {
            throw new IllegalArgumentException(refused + (cwd.equals(real) ? "it is the current directory"
                    : "it holds the current directory"));
        }
        if (config != null && OutputPaths.real(config).startsWith(real)) {
            throw new IllegalArgumentException(refused + "it holds this run's config " + config);
        }
        for (String input : inputs) {
            OutputPaths.localFile(input).filter(p -> OutputPaths.real(p).startsWith(real)).ifPresent(p -> {
                throw new IllegalArgumentException(refused + "it holds this run's data " + input);
            });
        }
        if (!RunMarker.isRun(dir)) {
            throw new IllegalArgumentException(refused + "it is not a sparktrain run directory (no "
                    + RunMarker.FILE_NAME + "); --overwrite replaces only runs sparktrain created");
        }
    }

    private static void requireWritable(Path dir) {
        Path d = dir == null ? Path.of("").toAbsolutePath() : dir;
        if (!Files.isWritable(d)) {
            throw new IllegalArgumentException(d + ": is not writable");
        }
    }

    /**
     * Creates the run directory with its marker; with {@code --overwrite}, the old run is first moved aside. Call
     * it after the inputs are checked, and {@link #abandon} if anything fails before {@link #keep}.
     */
    public void open() {
        if (opened) {
            throw new IllegalStateException(root + " is already open");
        }
        opened = true;
        try {
            if (mode == Mode.RESUME) {
                if (!Files.exists(root.resolve(RunMarker.FILE_NAME))) {
                    RunMarker.write(root, config);  // a run from before markers: it is one, so say so
                }
                return;
            }
            if (mode == Mode.OVERWRITE && Files.exists(root) && !existedEmpty) {
                aside = freeSibling(root.getFileName() + ".overwritten-" + LocalDateTime.now().format(STAMP));
                Files.move(root, aside, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.exists(root)) {
                firstCreated = firstMissing(root);
                Files.createDirectories(root);
            }
            RunMarker.write(root, config);
        } catch (IOException e) {
            abandon();
            throw new UncheckedIOException("cannot create the run directory " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /** The run now holds something worth keeping (a checkpoint, or its end): the replaced old run is deleted. */
    public void keep() {
        if (kept) {
            return;
        }
        kept = true;
        if (aside != null) {
            deleteRecursively(aside);
            aside = null;
        }
    }

    /**
     * Undoes {@link #open} after a failure before {@link #keep}: a new directory is removed (an empty one that
     * existed is emptied), an overwritten run is put back. A resumed run is left as it is.
     */
    public void abandon() {
        if (!opened || kept || abandoned || mode == Mode.RESUME) {
            return;
        }
        abandoned = true;
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            if (existedEmpty) {
                try (Stream<Path> entries = Files.list(root)) {
                    entries.forEach(RunDirectory::deleteRecursively);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot empty " + root, e);
                }
            } else {
                deleteRecursively(root);
            }
        }
        if (aside != null) {
            try {
                Files.move(aside, root, StandardCopyOption.ATOMIC_MOVE);
                aside = null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot put the old run back: it is in " + aside, e);
            }
        }
        removeEmptyParents();
    }

    /** Whether {@link #open} has run: before, nothing of this run is on disk. */
    public boolean isOpen() {
        return opened;
    }

    /** Whether {@link #abandon} removes it, or removed it (a new or replacing run before its first checkpoint). */
    public boolean wouldBeRemoved() {
        return opened && !kept && mode != Mode.RESUME;
    }

    public Mode mode() {
        return mode;
    }

    public Path root() {
        return root;
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    public Path model() {
        return root.resolve("model");
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    /** Whether {@code dir} holds at least one complete checkpoint folder. */
    public static boolean hasCheckpoint(Path dir) {
        try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("ckpt-") && Files.isDirectory(p));
        } catch (IOException e) {
            return false;
        }
    }

    private Path freeSibling(String name) {
        Path target = root.resolveSibling(name);
        for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
            target = root.resolveSibling(name + "-" + n);
        }
        return target;
    }

    private static Path firstMissing(Path dir) {
        Path first = dir.toAbsolutePath().normalize();
        for (Path p = first.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            first = p;
        }
        return first;
    }

    /** Folders created for the run above its directory ({@code runs/}) go again if they are empty. */
    private void removeEmptyParents() {
        if (firstCreated == null) {
            return;
        }
        Path absolute = root.toAbsolutePath().normalize();
        for (Path p = absolute.getParent(); p != null && p.startsWith(firstCreated); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return;  // not empty: someone else put something there
            }
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list run directory: " + e.getMessage());
        }
    }

    /** Deletes a file or a folder tree; symbolic links are removed, never followed. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
