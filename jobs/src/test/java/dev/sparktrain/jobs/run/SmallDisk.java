package dev.sparktrain.jobs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real file system of a given size, to fill up: a tmpfs mounted on a folder of the test's. Mounting needs root
 * (or CAP_SYS_ADMIN); where it is refused, {@link #mount} is empty and the tests that need it are skipped, while
 * the same messages stay covered through {@link AtomicFiles}' fault seam.
 */
public final class SmallDisk implements AutoCloseable {

    public static final int PAGE = 4096;

    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** A tmpfs of {@code bytes} (rounded up to pages) on {@code at}, created if needed; empty if not allowed here. */
    public static Optional<SmallDisk> mount(Path at, long bytes) {
        try {
            Files.createDirectories(at);
            long kib = (bytes + PAGE - 1) / PAGE * PAGE / 1024;
            if (command("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "sparktrain-test", at.toString()) != 0) {
                return Optional.empty();
            }
            return Optional.of(new SmallDisk(at));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Path root() {
        return root;
    }

    /** Gives the file system {@code bytes} (rounded up to pages) in all, keeping what is on it. */
    public void resize(long bytes) throws IOException {
        long kib = (bytes + PAGE - 1) / PAGE * PAGE / 1024;
        if (command("mount", "-o", "remount,size=" + kib + "k", root.toString()) != 0) {
            throw new IOException("cannot resize the tmpfs on " + root);
        }
    }

    /** The pages a file of {@code size} bytes takes on tmpfs (folders take none). */
    public static long pages(long size) {
        return (size + PAGE - 1) / PAGE;
    }

    @Override
    public void close() throws IOException {
        if (command("umount", root.toString()) != 0) {
            throw new IOException("cannot unmount " + root);
        }
    }

    private static int command(String... args) throws IOException {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
