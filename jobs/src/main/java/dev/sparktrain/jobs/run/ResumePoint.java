package dev.sparktrain.jobs.run;

import dev.sparktrain.driver.checkpoint.ResumeChanges;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkpoint a resumed run continues from, checked before Spark starts, so a refused resume writes nothing.
 *
 * <ul>
 *   <li>{@code --resume}: the run's latest checkpoint. It must verify (size and SHA-256 of every file, shapes, a
 *       config that fits: {@link ResumeChanges}); a damaged one is refused, never skipped silently, and the message
 *       names the one before it for {@code --resume-from}. A run without a checkpoint starts from the beginning.</li>
 *   <li>{@code --resume-from CKPT}: that checkpoint of the run, by path or by folder name. The run continues from
 *       it and writes checkpoints of the later versions again, so the later folders are moved to
 *       {@code <run>/checkpoints-set-aside/} first: kept for inspection, out of the way.</li>
 * </ul>
 */
public final class ResumePoint {

    static final String SET_ASIDE = "checkpoints-set-aside";

    private ResumePoint() {
    }

    /**
     * The latest checkpoint of the run, verified; null when the run has none (it stopped before its first, and
     * starts again from the beginning).
     */
    public static Path latest(RunDirectory dir, TrainingCheckpoints checkpoints) {
        List<Path> all = checkpoints.list();
        if (all.isEmpty()) {
            return null;
        }
        Path latest = all.get(all.size() - 1);
        try {
            checkpoints.verify(latest);
        } catch (ResumeChanges.Refused e) {
            throw e;  // intact, but the config differs: an earlier checkpoint would not fit either
        } catch (IllegalArgumentException e) {
            String hint = all.size() < 2 ? "; there is no earlier checkpoint to resume from"
                    : "; to continue from the one before it: --resume-from " + all.get(all.size() - 2);
            throw new IllegalArgumentException(e.getMessage() + hint, e);
        }
        return latest;
    }

    /** {@code requested} (a checkpoint of this run, by path or folder name), verified; nothing is moved yet. */
    public static Path chosen(RunDirectory dir, TrainingCheckpoints checkpoints, Path requested) {
        Path candidate = requested.getNameCount() == 1 && !Files.exists(requested)
                ? dir.checkpoints().resolve(requested) : requested;
        List<Path> all = checkpoints.list();
        int index = indexOf(all, candidate);
        if (index < 0) {
            throw new IllegalArgumentException("--resume-from: " + requested + " is not a checkpoint of "
                    + dir.root() + "; expected one of " + all.stream().map(p -> p.getFileName().toString()).toList());
        }
        Path chosen = all.get(index);
        checkpoints.verify(chosen);
        return chosen;
    }

    /**
     * Moves the checkpoints after {@code chosen} to {@code <run>/checkpoints-set-aside/}, naming each on {@code out}:
     * the resumed run writes checkpoints of those versions again. Call it once everything else is checked.
     */
    public static void setAsideAfter(RunDirectory dir, TrainingCheckpoints checkpoints, Path chosen, PrintStream out) {
        List<Path> all = checkpoints.list();
        List<Path> later = all.subList(indexOf(all, chosen) + 1, all.size());
        if (later.isEmpty()) {
            return;
        }
        Path aside = dir.root().resolve(SET_ASIDE);
        try {
            Files.createDirectories(aside);
            for (Path p : later) {
                Path target = freeName(aside, p.getFileName().toString());
                Files.move(p, target);
                out.println("set aside " + p + " -> " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside the checkpoints after " + chosen, e);
        }
    }

    private static int indexOf(List<Path> checkpoints, Path candidate) {
        if (!Files.isDirectory(candidate)) {
            return -1;
        }
        for (int i = 0; i < checkpoints.size(); i++) {
            try {
                if (Files.isSameFile(checkpoints.get(i), candidate)) {
                    return i;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compare " + candidate + " with " + checkpoints.get(i), e);
            }
        }
        return -1;
    }

    /** {@code name} in {@code dir}, or {@code name-2}, {@code name-3}, ... if taken (an earlier set-aside). */
    private static Path freeName(Path dir, String name) {
        Path target = dir.resolve(name);
        for (int n = 2; Files.exists(target); n++) {
            target = dir.resolve(name + "-" + n);
        }
        return target;
    }
}
