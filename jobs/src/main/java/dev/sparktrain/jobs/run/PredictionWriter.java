package dev.sparktrain.jobs.run;

import dev.sparktrain.driver.data.DataBlock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes predictions to one local file, CSV or Parquet by its extension ({@code .csv}, {@code .parquet}), one row
 * per input row in input order: {@code row} (0-based), {@code label}, then for a classifier {@code predicted} and
 * {@code p0..p(C-1)} (class probabilities), for regression {@code prediction}. The file is written by
 * {@link AtomicFiles}, so it is complete or absent; the driver streams the result blocks one partition at a time.
 */
public final class PredictionWriter {

    private PredictionWriter() {
    }

    /**
     * Checks {@code out} before any work: a known extension, a writable parent directory, not a directory, not one of
     * the {@code inputs} (data paths), and no existing file unless {@code overwrite}.
     */
    public static void checkTarget(Path out, boolean overwrite, List<String> inputs) {
        format(out);
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(out + ": the directory " + parent + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + ": is a directory, expected a file name; --overwrite replaces"
                    + " only a file");
        }
        Path real = OutputPaths.real(out);
        for (String input : inputs) {
            OutputPaths.localFile(input).filter(p -> OutputPaths.real(p).equals(real)).ifPresent(p -> {
                throw new IllegalArgumentException(out + ": is the data being predicted (" + input
                        + "); write the predictions to another file");
            });
        }
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new IllegalArgumentException(out + ": file exists; use --overwrite to replace it");
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException(out + ": cannot write: " + parent + " is not writable");
        }
    }

    /**
     * Writes all blocks of {@code predictions} and returns the number of rows written; without {@code labeled} (data
     * without labels) the output has no {@code label} column; without {@code overwrite}, a file of that name that
     * appeared while they were computed is not replaced.
     */
    public static long write(Path out, boolean overwrite, Predictions predictions, Iterator<DataBlock> blocks,
                             boolean labeled) {
        long[] rows = new long[1];
        AtomicFiles.Content content = temp -> rows[0] = "csv".equals(format(out)) ? csv(temp, predictions, blocks, labeled)
                : parquet(temp, predictions, blocks, labeled);
        if (overwrite) {
            AtomicFiles.write(out, content);
        } else if (!AtomicFiles.writeIfAbsent(out, content)) {
            throw new IllegalArgumentException(out + ": file exists; use --overwrite to replace it");
        }
        return rows[0];
    }

    static String format(Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".parquet")) {
            return "parquet";
        }
        throw new IllegalArgumentException(out + ": unknown output format, expected a name ending in .csv or .parquet");
    }

    private static long csv(Path file, Predictions p, Iterator<DataBlock> blocks, boolean labeled)
            throws IOException {
        long row = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder(labeled ? "row,label" : "row");
            if (p.classifier()) {
                header.append(",predicted");
                for (int c = 0; c < p.width(); c++) {
                    header.append(",p").append(c);
                }
            } else {
                header.append(",prediction");
            }
            w.write(header.append('\n').toString());
            StringBuilder line = new StringBuilder();
            while (blocks.hasNext()) {
                DataBlock b = blocks.next();
                for (int r = 0; r < b.rows(); r++, row++) {
                    line.setLength(0);
                    line.append(row);
                    if (labeled) {
                        line.append(',').append(number(b.labels()[r]));
                    }
                    if (p.classifier()) {
                        line.append(',').append(p.predictedClass(b, r));
                    }
                    for (int c = 0; c < p.width(); c++) {
                        line.append(',').append(p.value(b, r, c));
                    }
                    w.write(line.append('\n').toString());
                }
            }
        }
        return row;
    }

    private static long parquet(Path file, Predictions p, Iterator<DataBlock> blocks, boolean labeled)
            throws IOException {
        Types.MessageTypeBuilder schema = Types.buildMessage();
        schema.required(PrimitiveTypeName.INT64).named("row");
        if (labeled) {
            schema.required(PrimitiveTypeName.DOUBLE).named("label");
        }
        if (p.classifier()) {
            schema.required(PrimitiveTypeName.INT32).named("predicted");
            for (int c = 0; c < p.width(); c++) {
                schema.required(PrimitiveTypeName.FLOAT).named("p" + c);
            }
        } else {
            schema.required(PrimitiveTypeName.FLOAT).named("prediction");
        }
        MessageType type = schema.named("prediction");
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        long row = 0;
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(type)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).build()) {
            while (blocks.hasNext()) {
                DataBlock b = blocks.next();
                for (int r = 0; r < b.rows(); r++, row++) {
                    Group g = groups.newGroup().append("row", row);
                    if (labeled) {
                        g.append("label", (double) b.labels()[r]);
                    }
                    if (p.classifier()) {
                        g.append("predicted", p.predictedClass(b, r));
                        for (int c = 0; c < p.width(); c++) {
                            g.append("p" + c, p.value(b, r, c));
                        }
                    } else {
                        g.append("prediction", p.value(b, r, 0));
                    }
                    w.write(g);
                }
            }
        }
        return row;
    }

    private static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
