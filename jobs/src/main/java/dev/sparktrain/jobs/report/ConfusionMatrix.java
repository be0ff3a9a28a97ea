package dev.sparktrain.jobs.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Counts of test examples by actual class (row) and predicted class (column), read from {@code confusion.json}:
 * either a bare 2-D array of counts, or {@code {"matrix": [[...]], "classes": ["name", ...]}}. Without names
 * the classes are called by their index.
 */
public record ConfusionMatrix(long[][] counts, List<String> classes) {

    public static final String FILE_NAME = "confusion.json";

    public ConfusionMatrix {
        int n = counts.length;
        if (n == 0) {
            throw new IllegalArgumentException("confusion matrix must have at least one class, got none");
        }
        for (int i = 0; i < n; i++) {
            if (counts[i].length != n) {
                throw new IllegalArgumentException("confusion matrix must be square: expected " + n
                        + " columns in row " + i + ", got " + counts[i].length);
            }
            for (long c : counts[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException("confusion counts must be >= 0, got " + c + " in row " + i);
                }
            }
        }
        if (classes.size() != n) {
            throw new IllegalArgumentException("expected " + n + " class names, got " + classes.size());
        }
        classes = List.copyOf(classes);
    }

    /** The matrix in {@code runDir/confusion.json}, or empty when the run has none. */
    public static Optional<ConfusionMatrix> readIfPresent(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected JSON in " + file + ", got: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonNode matrix = root != null && root.isObject() ? root.path("matrix") : root;
        if (matrix == null || !matrix.isArray()) {
            throw new IllegalArgumentException("expected a 2-D array (or {\"matrix\": ...}) in " + file);
        }
        long[][] counts = new long[matrix.size()][];
        for (int i = 0; i < counts.length; i++) {
            JsonNode row = matrix.get(i);
            if (!row.isArray()) {
                throw new IllegalArgumentException("expected row " + i + " of " + file + " to be an array, got "
                        + row);
            }
            counts[i] = new long[row.size()];
            for (int j = 0; j < row.size(); j++) {
                if (!row.get(j).canConvertToExactIntegral()) {
                    throw new IllegalArgumentException("expected integer counts in " + file + ", got "
                            + row.get(j) + " at [" + i + "][" + j + "]");
                }
                counts[i][j] = row.get(j).asLong();
            }
        }
        List<String> names = new ArrayList<>();
        JsonNode classes = root.path("classes");
        if (classes.isArray()) {
            classes.forEach(c -> names.add(c.asText()));
        } else {
            for (int i = 0; i < counts.length; i++) {
                names.add(Integer.toString(i));
            }
        }
        return Optional.of(new ConfusionMatrix(counts, names));
    }

    public int size() {
        return counts.length;
    }

    public long total() {
        long sum = 0;
        for (long[] row : counts) {
            for (long c : row) {
                sum += c;
            }
        }
        return sum;
    }

    /** Fraction on the diagonal; NaN for an empty matrix. */
    public double accuracy() {
        long diagonal = 0;
        for (int i = 0; i < counts.length; i++) {
            diagonal += counts[i][i];
        }
        return total() > 0 ? (double) diagonal / total() : Double.NaN;
    }

    /** Of the examples of class {@code c}, the fraction predicted as {@code c}; NaN when there are none. */
    public double recall(int c) {
        long row = 0;
        for (long v : counts[c]) {
            row += v;
        }
        return row > 0 ? (double) counts[c][c] / row : Double.NaN;
    }

    /** Of the examples predicted as {@code c}, the fraction that are {@code c}; NaN when there are none. */
    public double precision(int c) {
        long column = 0;
        for (long[] row : counts) {
            column += row[c];
        }
        return column > 0 ? (double) counts[c][c] / column : Double.NaN;
    }

    /**
     * Harmonic mean of precision and recall of class {@code c}: 2·tp / (2·tp + fp + fn), defined (as 0) even when
     * one of the two is not; NaN when the class neither occurs nor is predicted.
     */
    public double f1(int c) {
        long row = 0;
        long column = 0;
        for (int i = 0; i < counts.length; i++) {
            row += counts[c][i];
            column += counts[i][c];
        }
        long tp = counts[c][c];
        return row + column > 0 ? 2.0 * tp / (row + column) : Double.NaN;
    }
}
