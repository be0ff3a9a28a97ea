package dev.sparktrain.jobs.data.text;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the text files of a path (a file, a directory of files or a glob, through Hadoop's {@link FileSystem}) and
 * cuts them into one list of {@link TextPiece}s per worker with about the same number of bytes each. Runs on the
 * driver.
 */
public final class TextFiles {

    private TextFiles() {
    }

    /** One listed file. */
    public record TextFile(String uri, long length) {
        public boolean compressed() {
            return uri.endsWith(".gz");
        }
    }

    /**
     * The files of {@code path}, sorted by name; a directory contributes its visible files (not those starting with
     * {@code _} or {@code .}, such as {@code _SUCCESS}), not its subdirectories. Throws an
     * {@link IllegalArgumentException} if nothing matches or a file is empty.
     */
    public static List<TextFile> list(Configuration conf, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException(TextPiece.display(path) + ": no such file or directory");
            }
            List<TextFile> files = new ArrayList<>();
            for (FileStatus match : matches) {
                if (match.isDirectory()) {
                    for (FileStatus child : fs.listStatus(match.getPath())) {
                        if (child.isFile() && visible(child.getPath())) {
                            files.add(new TextFile(child.getPath().toString(), child.getLen()));
                        }
                    }
                } else if (visible(match.getPath())) {
                    files.add(new TextFile(match.getPath().toString(), match.getLen()));
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException(TextPiece.display(path) + ": no data files found");
            }
            files.sort((a, b) -> a.uri().compareTo(b.uri()));
            for (TextFile f : files) {
                if (f.length() == 0) {
                    throw new IllegalArgumentException(TextPiece.display(f.uri()) + ": file is empty");
                }
            }
            return files;
        } catch (FileNotFoundException e) {
            if (String.valueOf(e.getMessage()).contains("Permission denied")) {
                throw new UncheckedIOException(TextPiece.display(path) + ": permission denied", e);
            }
            throw new IllegalArgumentException(TextPiece.display(path) + ": no such file or directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException(TextPiece.display(path) + ": cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * Cuts the files, in order, at {@code workers - 1} evenly spaced byte positions of their concatenation; a gzip
     * file is never cut and goes to the worker in whose share it starts. Some lists may be empty.
     */
    public static List<List<TextPiece>> split(List<TextFile> files, int workers) {
        long total = 0;
        for (TextFile f : files) {
            total += f.length();
        }
        List<List<TextPiece>> out = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            out.add(new ArrayList<>());
        }
        long offset = 0;
        for (TextFile f : files) {
            if (f.compressed()) {
                out.get(owner(offset, total, workers)).add(new TextPiece(f.uri(), 0, f.length(), true));
            } else {
                long pos = 0;
                while (pos < f.length()) {
                    int w = owner(offset + pos, total, workers);
                    long shareEnd = (long) ((double) total * (w + 1) / workers);
                    long end = w == workers - 1 ? f.length() : Math.min(f.length(), Math.max(pos + 1, shareEnd - offset));
                    out.get(w).add(new TextPiece(f.uri(), pos, end, false));
                    pos = end;
                }
            }
            offset += f.length();
        }
        return out;
    }

    /** The worker whose share {@code [total*w/workers, total*(w+1)/workers)} holds byte {@code at}. */
    private static int owner(long at, long total, int workers) {
        int w = (int) Math.min(workers - 1, (long) ((double) at * workers / total));
        while (w > 0 && at < (long) ((double) total * w / workers)) {
            w--;
        }
        while (w < workers - 1 && at >= (long) ((double) total * (w + 1) / workers)) {
            w++;
        }
        return w;
    }

    private static boolean visible(Path p) {
        String name = p.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }
}
