package dev.sparktrain.driver.listen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one JSON object per line to {@code metrics.jsonl}: {@code {"type":"round",...}} for every round and
 * {@code {"type":"epoch",...}} for every epoch, with every component of the metrics record (see
 * {@link RecordJson}). The file holds each round and each epoch once, in training order: a record for a round
 * that is already in the file (a block of rounds run again after a lost worker, a resumed run repeating the rounds
 * after its checkpoint) replaces that record and every record after it, which belonged to the abandoned attempt.
 * So a resumed or retried run's file reads as one uninterrupted run's. A line cut short by a crash goes the same
 * way at the next write. Lines are flushed after every epoch and every {@code flushEveryRounds} rounds;
 * {@link #close()} flushes the rest.
 */
public final class MetricsJsonlListener implements TrainingListener, Closeable {

    /** The file name the run report reads. */
    public static final String FILE_NAME = "metrics.jsonl";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final int flushEveryRounds;
    private final FileChannel channel;
    /** Order keys and byte offsets of the records in the file and the buffer, in file order. */
    private final List<long[]> records = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long flushedBytes;
    private int roundsSinceFlush;
    private boolean closed;

    /** Writes {@code runDir/metrics.jsonl}, creating the directory if needed; flushes every 50 rounds. */
    public static MetricsJsonlListener inRunDir(Path runDir) {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + runDir, e);
        }
        return new MetricsJsonlListener(runDir.resolve(FILE_NAME), 50);
    }

    /** Continues {@code file} if it exists (see the class comment for what a repeated round does to it). */
    public MetricsJsonlListener(Path file, int flushEveryRounds) {
        if (flushEveryRounds < 1) {
            throw new IllegalArgumentException("flushEveryRounds must be >= 1, got " + flushEveryRounds);
        }
        this.file = file;
        this.flushEveryRounds = flushEveryRounds;
        try {
            this.flushedBytes = readKeys(file, records);
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for writing", e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void onRound(RoundMetrics metrics) {
        write("round", order(metrics.epoch(), metrics.round()), metrics);
        if (++roundsSinceFlush >= flushEveryRounds) {
            flush();
        }
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        write("epoch", order(metrics.epoch(), Integer.MAX_VALUE), metrics);
        flush();
    }

    /** Flushes and closes the file; later calls do nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file, e);
            }
        }
    }

    /** Epoch records sort after every round of their epoch. */
    private static long order(int epoch, int round) {
        return ((long) epoch << 32) | (round & 0xffffffffL);
    }

    private void write(String type, long key, Record metrics) {
        if (closed) {
            throw new IllegalStateException(file + " is already closed");
        }
        dropFrom(key);
        byte[] line;
        try {
            line = (MAPPER.writeValueAsString(RecordJson.toJson(type, metrics)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file, e);
        }
        records.add(new long[] {key, flushedBytes + pending.size()});
        pending.writeBytes(line);
    }

    /** Removes the first record whose key is not below {@code key} and everything after it. */
    private void dropFrom(long key) {
        int first = records.size();
        while (first > 0 && records.get(first - 1)[0] >= key) {
            first--;
        }
        if (first == records.size()) {
            return;
        }
        long offset = records.get(first)[1];
        records.subList(first, records.size()).clear();
        try {
            if (offset >= flushedBytes) {
                byte[] kept = pending.toByteArray();
                pending.reset();
                pending.write(kept, 0, (int) (offset - flushedBytes));
            } else {
                pending.reset();
                channel.truncate(offset);
                channel.force(false);
                flushedBytes = offset;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate " + file, e);
        }
    }

    private void flush() {
        roundsSinceFlush = 0;
        if (pending.size() == 0) {
            return;
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(pending.toByteArray());
            channel.position(flushedBytes);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            flushedBytes += pending.size();
            pending.reset();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file, e);
        }
    }

    /**
     * The order key and offset of every record in {@code file}; returns the length of its good part. A line that is
     * not a JSON record with an epoch (the last line, cut short by a crash) sorts last, so the next write replaces it.
     */
    private static long readKeys(Path file, List<long[]> into) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long offset = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                into.add(new long[] {keyOf(line), offset});
                offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            }
        }
        return Math.min(offset, Files.size(file));
    }

    private static long keyOf(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node == null || !node.path("epoch").isInt()) {
                return Long.MAX_VALUE;
            }
            return switch (node.path("type").asText()) {
                case "round" -> node.path("round").isInt() ? order(node.get("epoch").asInt(), node.get("round").asInt())
                        : Long.MAX_VALUE;
                case "epoch" -> order(node.get("epoch").asInt(), Integer.MAX_VALUE);
                default -> Long.MAX_VALUE;
            };
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
