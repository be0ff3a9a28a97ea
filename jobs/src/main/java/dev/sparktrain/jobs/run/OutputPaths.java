package dev.sparktrain.jobs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Checks on where a command will write, made before it writes anything. */
final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * Checks that {@code target} can be created: its nearest existing ancestor is a directory this process may
     * write into (the folders between are created later). {@code what} names the target in messages.
     */
    static void requireCreatable(Path target, String what) {
        Path absolute = target.toAbsolutePath().normalize();
        Path ancestor = absolute.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new IllegalArgumentException(target + ": cannot create " + what + ": no existing parent directory");
        }
        if (!Files.isDirectory(ancestor)) {
            throw new IllegalArgumentException(target + ": cannot create " + what + ": " + ancestor
                    + " is a file, not a directory");
        }
        if (!Files.isWritable(ancestor)) {
            throw new IllegalArgumentException(target + ": cannot create " + what + ": " + ancestor
                    + " is not writable");
        }
    }

    /** The real path (symbolic links resolved) of {@code path}, or of its longest existing prefix. */
    static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    /**
     * A local file named by a config's data path (a plain path or a {@code file:} URI; the folder above the first
     * glob character for a glob), or empty for other file systems.
     */
    static Optional<Path> localFile(String pathOrUri) {
        if (pathOrUri == null || pathOrUri.isBlank()) {
            return Optional.empty();
        }
        String p = pathOrUri;
        if (p.startsWith("file:")) {
            p = p.substring("file:".length()).replaceFirst("^//(?=/)", "");
        } else if (p.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return Optional.empty();
        }
        int glob = indexOfGlob(p);
        if (glob >= 0) {
            int slash = p.lastIndexOf('/', glob);
            p = slash < 0 ? "." : p.substring(0, Math.max(slash, 1));
        }
        try {
            return Optional.of(Path.of(p));
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static int indexOfGlob(String p) {
        for (int i = 0; i < p.length(); i++) {
            if ("*?[{".indexOf(p.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
