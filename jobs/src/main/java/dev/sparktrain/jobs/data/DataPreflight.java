package dev.sparktrain.jobs.data;

import dev.sparktrain.jobs.config.DataConfig;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.idx.IdxFile;
import dev.sparktrain.jobs.data.text.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * What can be checked about the data before Spark starts, in well under a second: local files exist, are files
 * where files are expected and can be read, and hold at least one row per worker where the row count is cheap to
 * know (IDX headers; uncompressed local CSV and LibSVM files up to {@link #MAX_COUNTED_BYTES}, by counting lines).
 * The readers check every row again when Spark reads them; this only makes the common mistakes fail in seconds
 * instead of after Spark has started (and, with thousands of workers, scheduled thousands of tasks).
 */
public final class DataPreflight {

    /** Bytes of text a pre-flight count reads at most (about a tenth of a second). */
    static final long MAX_COUNTED_BYTES = 256L << 20;

    private DataPreflight() {
    }

    /** Checks the training set (and the test set, if any) of {@code run}, as {@code train} reads them. */
    public static void checkTraining(RunConfig run) {
        DataConfig data = run.data();
        check(data, data.trainPaths(), run.training().workers());
        if (data.hasTest()) {
            check(data, data.testPaths(), run.training().workers());
        }
    }

    /** Checks the test set of {@code run}, as {@code evaluate} and {@code predict} read it. */
    public static void checkTest(RunConfig run) {
        DataConfig data = run.data();
        if (data.hasTest()) {
            check(data, data.testPaths(), run.training().workers());
        }
    }

    private static void check(DataConfig data, List<String> paths, int workers) {
        if ("table".equals(data.format())) {
            return;
        }
        for (String path : paths) {
            if (isLocal(path) && !isGlob(path)) {
                requireReadable(path, !"idx".equals(data.format()));
            }
        }
        long rows = switch (data.format()) {
            case "idx" -> isLocal(paths.get(1)) ? IdxFile.readHeader(new Configuration(), paths.get(1)).items() : -1;
            case "csv", "libsvm" -> isLocal(paths.get(0)) ? countLines(paths.get(0), data.format().equals("csv")
                    && data.header()) : -1;
            default -> -1;
        };
        // No rows at all: the reader says exactly why (only a header, only blank lines) when it reads the file.
        if (rows > 0 && rows < workers) {
            throw new IllegalArgumentException(paths.get(0) + ": " + rows + " rows cannot feed " + workers
                    + " workers (training.workers); use fewer workers or more data");
        }
    }

    /** Rows of the text files of {@code path}, or -1 if counting would be slow (gzip, large files). */
    private static long countLines(String path, boolean header) {
        List<TextFiles.TextFile> files = TextFiles.list(new Configuration(), TrainingData.absolute(path));
        long bytes = 0;
        for (TextFiles.TextFile f : files) {
            bytes += f.length();
            if (f.compressed() || !f.uri().startsWith("file:") || bytes > MAX_COUNTED_BYTES) {
                return -1;
            }
        }
        long rows = 0;
        for (TextFiles.TextFile f : files) {
            rows += Math.max(0, nonBlankLines(Path.of(java.net.URI.create(f.uri()))) - (header ? 1 : 0));
        }
        return rows;
    }

    private static long nonBlankLines(Path file) {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        boolean content = false;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        lines += content ? 1 : 0;
                        content = false;
                    } else if (b != '\r' && b != ' ' && b != '\t') {
                        content = true;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return lines + (content ? 1 : 0);
    }

    /** A local file (or, if {@code directoryOk}, a directory) that exists and can be read. */
    private static void requireReadable(String path, boolean directoryOk) {
        Path p = local(path);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(path + ": no such file or directory" + (Path.of(stripScheme(path))
                    .isAbsolute() ? "" : " (relative paths are resolved against the working directory, "
                    + Path.of("").toAbsolutePath() + ")"));
        }
        if (Files.isDirectory(p) && !directoryOk) {
            throw new IllegalArgumentException(path + ": is a directory, expected a file");
        }
        if (!Files.isReadable(p)) {
            throw new UncheckedIOException(new AccessDeniedException(path, null, "cannot read"));
        }
    }

    private static boolean isLocal(String path) {
        return path.startsWith("file:/") || !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }

    private static boolean isGlob(String path) {
        return path.contains("*") || path.contains("?") || path.contains("[") || path.contains("{");
    }

    private static Path local(String path) {
        return path.startsWith("file:/") ? Path.of(java.net.URI.create(path)) : Path.of(path);
    }

    private static String stripScheme(String path) {
        return path.startsWith("file:/") ? java.net.URI.create(path).getPath() : path;
    }
}
