package dev.sparktrain.jobs.run;

import dev.sparktrain.ps.io.WriteFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The one way sparktrain writes a file or a folder that a user sees (run files, model, report, predictions): readers
 * see the old content or the new, never a half-written file under the final name. The content goes to a hidden
 * temporary name in the same directory ({@code .NAME.<random>.tmp}), is fsynced, and is renamed over the target in
 * one atomic move; the directory is fsynced after. A failed write deletes its temporary file and throws a
 * {@link WriteFailure} naming the final name, the system's reason ("no space left on device") and how much was
 * written. Temporaries still in flight when the JVM exits (Ctrl-C) are deleted by a shutdown hook.
 */
public final class AtomicFiles {

    /** Fills a temporary file (or folder) that becomes the target. */
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    /** Test seam: called after a file's content is written and before it is fsynced; may throw the system's error. */
    interface Fault {
        void check(Path target) throws IOException;
    }

    static volatile Fault fault = target -> { };

    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> IN_FLIGHT.forEach(AtomicFiles::deleteQuietly),
                "sparktrain-temporary-files"));
    }

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) {
        write(target, temp -> Files.write(temp, content));
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file through {@code content}, replacing a file of that name (callers decide whether they may). */
    public static void write(Path target, Content content) {
        Path temp = temporaryFor(target);
        try {
            fill(target, temp, content);
            moveIntoPlace(temp, target);
        } catch (WriteFailure e) {
            deleteQuietly(temp);
            throw e;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new WriteFailure(target, 0, e);
        } finally {
            IN_FLIGHT.remove(temp);
        }
    }

    /**
     * Writes a file through {@code content} unless a file of that name exists when it is ready to be published, and
     * then writes nothing and returns false: the finished temporary file is hard-linked to the name, which fails if
     * the name is taken, so a file that appeared meanwhile is never replaced (where links are not supported, a plain
     * move, which refuses an existing name too).
     */
    public static boolean writeIfAbsent(Path target, Content content) {
        Path temp = temporaryFor(target);
        try {
            fill(target, temp, content);
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, target);
            }
            fsyncFolder(target.toAbsolutePath().getParent());
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new WriteFailure(target, 0, e);
        } finally {
            deleteQuietly(temp);
            IN_FLIGHT.remove(temp);
        }
    }

    /**
     * Writes a folder of {@code files} (name to content, in order) in one move: filled under a temporary name, then
     * renamed to {@code target}. A folder already at {@code target} (one this command wrote before: callers check)
     * is renamed out of the way first and deleted after, so {@code target} is the old folder or the new one.
     */
    public static void writeFolder(Path target, Map<String, Content> files) {
        Path temp = temporaryFor(target);
        Path old = null;
        try {
            Files.createDirectory(temp);
            for (Map.Entry<String, Content> f : new LinkedHashMap<>(files).entrySet()) {
                fill(target.resolve(f.getKey()), temp.resolve(f.getKey()), f.getValue());
            }
            fsyncFolder(temp);
            if (Files.exists(target)) {
                old = temporaryFor(target);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncFolder(target.toAbsolutePath().getParent());
        } catch (WriteFailure e) {
            deleteQuietly(temp);
            throw e;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new WriteFailure(target, 0, e);
        } finally {
            IN_FLIGHT.remove(temp);
            if (old != null) {
                deleteQuietly(old);
                IN_FLIGHT.remove(old);
            }
        }
    }

    /** A hidden name next to {@code target}, registered for deletion at exit until the write is done. */
    private static Path temporaryFor(Path target) {
        Path temp = target.toAbsolutePath().resolveSibling("." + target.getFileName() + "." + UUID.randomUUID()
                + ".tmp");
        IN_FLIGHT.add(temp);
        return temp;
    }

    private static void fill(Path target, Path temp, Content content) {
        try {
            content.writeTo(temp);
            fault.check(target);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            readableByAll(temp);
        } catch (IOException e) {
            throw new WriteFailure(target, sizeOrZero(temp), e);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncFolder(target.toAbsolutePath().getParent());
    }

    private static void fsyncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the rename itself is atomic either way
        }
    }

    /** Temporary files are private (0600); a written file is meant to be shared like any other. */
    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes a file or folder tree; a failure leaves a hidden temporary behind, never a final name. */
    static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // the write already failed; that error is the one to report
        }
    }
}
