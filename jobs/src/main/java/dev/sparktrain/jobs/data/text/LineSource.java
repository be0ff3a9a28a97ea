package dev.sparktrain.jobs.data.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lines (UTF-8, {@code \n} or {@code \r\n} endings) that start inside one {@link TextPiece}, read on an executor.
 * Knows the 1-based line number of the current line in its file; for a piece that does not start the file it counts
 * the earlier lines only when asked (on an error), so reading stays one pass.
 */
public final class LineSource implements Closeable {

    private static final int BUFFER = 1 << 16;

    private final Configuration conf;
    private final TextPiece piece;
    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int bufLen;
    private int bufPos;
    /** Byte offset in the (uncompressed) file of {@code buf[bufPos]}. */
    private long pos;
    private byte[] line = new byte[256];
    private long firstLineStart = -1;
    private long linesRead;
    private long baseLine = -1;

    private LineSource(Configuration conf, TextPiece piece, InputStream in, long pos) {
        this.conf = conf;
        this.piece = piece;
        this.in = in;
        this.pos = pos;
    }

    public static LineSource open(Configuration conf, TextPiece piece) {
        try {
            Path p = new Path(piece.file());
            FileSystem fs = p.getFileSystem(conf);
            FSDataInputStream raw = fs.open(p);
            if (piece.compressed()) {
                try {
                    return new LineSource(conf, piece, new GZIPInputStream(raw, BUFFER), 0);
                } catch (java.io.EOFException | java.util.zip.ZipException e) {
                    raw.close();
                    throw new IllegalArgumentException(piece.displayName() + ": not gzip data (" + e.getMessage()
                            + "); a file named .gz must be gzip-compressed", e);
                }
            }
            long seek = Math.max(0, piece.start() - 1);
            raw.seek(seek);
            LineSource src = new LineSource(conf, piece, raw, seek);
            if (piece.start() > 0) {
                src.skipLine(); // the rest of a line that started in the previous piece (or the newline ending it)
            }
            return src;
        } catch (IOException e) {
            throw new UncheckedIOException(piece.displayName() + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The next line that starts inside the piece, without its line ending, or null at the piece's end. */
    public String next() {
        if (!piece.compressed() && pos >= piece.end()) {
            return null;
        }
        if (firstLineStart < 0) {
            firstLineStart = pos;
        }
        int len = 0;
        boolean any = false;
        while (true) {
            int b = read();
            if (b < 0) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            if (b == '\n') {
                break;
            }
            if (len == line.length) {
                line = java.util.Arrays.copyOf(line, len * 2);
            }
            line[len++] = (byte) b;
        }
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        // A UTF-8 byte-order mark (Excel's "CSV UTF-8" starts files with one) is not part of the first line.
        int from = linesRead == 0 && startsFile() && len >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
                && line[2] == (byte) 0xBF ? 3 : 0;
        linesRead++;
        return new String(line, from, len - from, StandardCharsets.UTF_8);
    }

    /** 1-based line number in the file of the line last returned by {@link #next()}. */
    public long lineNumber() {
        if (baseLine < 0) {
            baseLine = firstLineStart <= 0 ? 0 : countLinesBefore(firstLineStart);
        }
        return baseLine + linesRead;
    }

    /** Whether the piece starts its file (its first line is the file's first line). */
    public boolean startsFile() {
        return piece.start() == 0;
    }

    public String fileName() {
        return piece.displayName();
    }

    private void skipLine() throws IOException {
        int b;
        do {
            b = read();
        } while (b >= 0 && b != '\n');
    }

    private int read() {
        if (bufPos == bufLen) {
            try {
                bufLen = in.read(buf, 0, buf.length);
            } catch (java.io.EOFException | java.util.zip.ZipException e) {
                // The file, not the machine: a .gz cut short (a copy that did not finish) or not gzip at all.
                throw new IllegalArgumentException(piece.displayName() + ": truncated or corrupt gzip data ("
                        + e.getMessage() + "); expected a complete .gz file", e);
            } catch (IOException e) {
                throw new UncheckedIOException(piece.displayName() + ": cannot read: " + e.getMessage(), e);
            }
            bufPos = 0;
            if (bufLen <= 0) {
                bufLen = 0;
                return -1;
            }
        }
        pos++;
        return buf[bufPos++] & 0xff;
    }

    private long countLinesBefore(long offset) {
        try (FSDataInputStream raw = new Path(piece.file()).getFileSystem(conf).open(new Path(piece.file()))) {
            byte[] b = new byte[BUFFER];
            long done = 0;
            long lines = 0;
            while (done < offset) {
                int n = raw.read(b, 0, (int) Math.min(b.length, offset - done));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (b[i] == '\n') {
                        lines++;
                    }
                }
                done += n;
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(piece.displayName() + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(piece.displayName() + ": cannot close: " + e.getMessage(), e);
        }
    }
}
