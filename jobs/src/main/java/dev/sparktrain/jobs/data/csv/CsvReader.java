package dev.sparktrain.jobs.data.csv;

import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.data.DatasetReader;
import dev.sparktrain.jobs.data.GrowableFloats;
import dev.sparktrain.jobs.data.LabelSpec;
import dev.sparktrain.jobs.data.RawBlocks;
import dev.sparktrain.jobs.data.ReadRequest;
import dev.sparktrain.jobs.data.text.LineSource;
import dev.sparktrain.jobs.data.text.TextFiles;
import dev.sparktrain.jobs.data.text.TextPiece;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code data.format: csv}. The driver lists the files, resolves the columns from the first file's first line and
 * cuts the files into one byte range per worker; each task parses its ranges straight into one block. Every line
 * must have the first line's number of fields, every used field must be a finite number; blank lines are skipped.
 * With a header, every file starts with the same header line.
 */
public final class CsvReader implements DatasetReader {

    private final boolean header;
    private final char delimiter;
    private final String labelColumn;
    private final List<String> featureColumns;

    public CsvReader(boolean header, char delimiter, String labelColumn, List<String> featureColumns) {
        this.header = header;
        this.delimiter = delimiter;
        this.labelColumn = labelColumn;
        this.featureColumns = List.copyOf(featureColumns);
    }

    @Override
    public RawBlocks read(JavaSparkContext sc, ReadRequest request) {
        Configuration conf = sc.hadoopConfiguration();
        List<TextFiles.TextFile> files = TextFiles.list(conf, request.path());
        TextFiles.TextFile first = files.get(0);
        String firstLine;
        try (LineSource lines = LineSource.open(conf, new TextPiece(first.uri(), 0, first.length(), first.compressed()))) {
            firstLine = lines.next();
        }
        String firstName = TextPiece.display(first.uri());
        if (firstLine == null || firstLine.isBlank()) {
            throw new IllegalArgumentException(firstName + " line 1: is empty, expected "
                    + (header ? "the header" : "a row"));
        }
        if (firstLine.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            // A binary file (IDX, Parquet, gzip without .gz) otherwise fails later with a baffling column list.
            throw new IllegalArgumentException(firstName + " line 1: holds control characters (binary data), "
                    + "expected CSV text; is data.format right?");
        }
        CsvLayout layout = CsvLayout.resolve(firstName, firstLine, header, delimiter, labelColumn, featureColumns,
                request.labelsOptional());
        if (header) {
            long headerBytes = firstLine.getBytes(StandardCharsets.UTF_8).length;
            for (TextFiles.TextFile f : files) {
                if (!f.compressed() && f.length() <= headerBytes + 2) {
                    throw new IllegalArgumentException(TextPiece.display(f.uri()) + ": has no rows, only a header");
                }
            }
        }
        List<List<TextPiece>> pieces = TextFiles.split(files, request.workers());
        LabelSpec labels = request.labels();
        float scale = request.scale();
        int featureSize = layout.features().length;
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < request.workers(); p++) {
            partitions.add(p);
        }
        JavaRDD<DataBlock> blocks = sc.parallelize(partitions, request.workers()).mapPartitionsWithIndex(
                (p, ignored) -> List.of(parse(pieces.get(p), layout, labels, scale)).iterator(), true);
        return new RawBlocks(blocks, featureSize, TextPiece.display(request.path()));
    }

    /** Runs in a task: all rows of {@code pieces} in one block. */
    static DataBlock parse(List<TextPiece> pieces, CsvLayout layout, LabelSpec labels, float scale) {
        Configuration conf = new Configuration();
        int featureSize = layout.features().length;
        long bytes = 0;
        for (TextPiece piece : pieces) {
            bytes += piece.end() - piece.start();
        }
        GrowableFloats x = new GrowableFloats((int) Math.min(1 << 20, bytes / 2));
        GrowableFloats y = new GrowableFloats((int) Math.min(1 << 16, bytes / 8));
        String[] fields = new String[layout.fieldCount()];
        for (TextPiece piece : pieces) {
            try (LineSource lines = LineSource.open(conf, piece)) {
                boolean atHeader = layout.header() != null && lines.startsFile();
                for (String line = lines.next(); line != null; line = lines.next()) {
                    if (atHeader) {
                        atHeader = false;
                        if (!line.equals(layout.header())) {
                            throw new IllegalArgumentException(lines.fileName() + " line 1: header '" + line
                                    + "' differs from the first file's header '" + layout.header() + "'");
                        }
                    } else if (!line.isBlank()) {
                        row(line, lines, layout, labels, scale, fields, x, y);
                    }
                }
            }
        }
        int rows = y.size();
        return new DataBlock(rows, featureSize, x.toArray(), y.toArray());
    }

    private static void row(String line, LineSource lines, CsvLayout layout, LabelSpec labels, float scale,
                            String[] fields, GrowableFloats x, GrowableFloats y) {
        int n = CsvSplitter.split(line, layout.delimiter(), fields);
        if (n != layout.fieldCount()) {
            boolean trailing = n == layout.fieldCount() + 1 && line.stripTrailing().endsWith(
                    String.valueOf(layout.delimiter()));
            throw new IllegalArgumentException(where(lines) + (trailing ? "ends with a trailing delimiter '"
                    + layout.delimiter() + "' (" + n + " fields, the last empty), expected " + layout.fieldCount()
                    + " fields" : "has " + n + " fields, expected " + layout.fieldCount()));
        }
        float label = layout.labeled() ? number(fields, layout.label(), layout, lines, 1f) : Float.NaN;
        String problem = layout.labeled() ? labels.problem(label) : null;
        if (problem != null) {
            throw new IllegalArgumentException(where(lines) + "field " + layout.fieldName(layout.label()) + ": "
                    + problem);
        }
        for (int f : layout.features()) {
            x.add(number(fields, f, layout, lines, scale));
        }
        y.add(label);
    }

    private static float number(String[] fields, int i, CsvLayout layout, LineSource lines, float scale) {
        String s = fields[i];
        float v;
        try {
            v = parseFloat(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(lines) + "field " + layout.fieldName(i) + " is '" + s
                    + "', expected a number" + (s.matches("[-+]?[0-9]+,[0-9]+") ? " (with a decimal point, not a "
                    + "comma; or is data.delimiter wrong?)" : ""));
        }
        float scaled = v * scale;
        if (!Float.isFinite(scaled)) {
            throw new IllegalArgumentException(where(lines) + "field " + layout.fieldName(i) + " is '" + s
                    + "', expected a finite number" + (Float.isFinite(v) && scale != 1f ? " (after data.scale)" : ""));
        }
        return scaled;
    }

    /** {@link Float#parseFloat}, without Java's type suffixes ({@code 1f}, {@code 2d}) and empty fields. */
    static float parseFloat(String s) {
        if (s.isEmpty() || "fFdD".indexOf(s.charAt(s.length() - 1)) >= 0) {
            throw new NumberFormatException(s);
        }
        return Float.parseFloat(s);
    }

    private static String where(LineSource lines) {
        return lines.fileName() + " line " + lines.lineNumber() + ": ";
    }
}
