package dev.sparktrain.jobs.data.csv;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which field of a CSV line is the label and which are the features, resolved once on the driver from the first
 * file's first line and shipped to every task.
 *
 * @param delimiter  field separator
 * @param header     the header line every file starts with, or null without header
 * @param names      column names (from the header), or {@code null}
 * @param fieldCount fields every line must have
 * @param label      index of the label field
 * @param features   indices of the feature fields, in feature order
 */
public record CsvLayout(char delimiter, String header, String[] names, int fieldCount, int label, int[] features)
        implements Serializable {

    /**
     * Resolves {@code labelColumn} and {@code featureColumns} (names, or 0-based indices) against {@code firstLine}
     * of {@code file}; with {@code hasHeader} that line is the header. Empty {@code featureColumns}: every column but
     * the label.
     */
    public static CsvLayout resolve(String file, String firstLine, boolean hasHeader, char delimiter,
                                    String labelColumn, List<String> featureColumns) {
        return resolve(file, firstLine, hasHeader, delimiter, labelColumn, featureColumns, false);
    }

    /**
     * As above; with {@code labelsOptional}, a file without the label column (no column of that name, or an index
     * beyond its last column) is read as unlabeled: {@code label} is -1 and every other column may be a feature.
     */
    public static CsvLayout resolve(String file, String firstLine, boolean hasHeader, char delimiter,
                                    String labelColumn, List<String> featureColumns, boolean labelsOptional) {
        String[] fields = CsvSplitter.split(firstLine, delimiter);
        if (fields.length > 1 && fields[fields.length - 1].isEmpty()) {
            throw new IllegalArgumentException(file + " line 1: ends with a trailing delimiter '" + delimiter
                    + "', which makes an empty last column; remove the trailing '" + delimiter + "' from every line");
        }
        String[] names = hasHeader ? fields : null;
        if (hasHeader) {
            for (int i = 0; i < names.length; i++) {
                for (int j = 0; j < i; j++) {
                    if (names[i].equals(names[j])) {
                        throw new IllegalArgumentException(file + " line 1: column name '" + names[i]
                                + "' appears twice in the header");
                    }
                }
            }
        }
        int label = labelsOptional && !hasColumn(names, fields.length, labelColumn) ? -1
                : column(file, names, fields.length, labelColumn, "data.label_column");
        int[] features;
        if (featureColumns.isEmpty()) {
            features = new int[label < 0 ? fields.length : fields.length - 1];
            for (int i = 0, k = 0; i < fields.length; i++) {
                if (i != label) {
                    features[k++] = i;
                }
            }
        } else {
            List<Integer> chosen = new ArrayList<>();
            for (String c : featureColumns) {
                int index = column(file, names, fields.length, c, "data.feature_columns");
                if (index == label || chosen.contains(index)) {
                    throw new IllegalArgumentException("data.feature_columns: column '" + c + "' is "
                            + (index == label ? "the label column" : "listed twice"));
                }
                chosen.add(index);
            }
            features = chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        if (features.length == 0) {
            throw new IllegalArgumentException(file + ": no feature columns: the file has only the label column");
        }
        return new CsvLayout(delimiter, hasHeader ? firstLine : null, names, fields.length, label, features);
    }

    /** How messages name field {@code i}: {@code 'petal_width'} with a header, {@code 3} (0-based) without. */
    public String fieldName(int i) {
        return names != null ? "'" + names[i] + "'" : Integer.toString(i);
    }

    /** Whether the label is read (false: the file has no label column). */
    public boolean labeled() {
        return label >= 0;
    }

    private static boolean hasColumn(String[] names, int count, String column) {
        return column.matches("\\d+") ? Integer.parseInt(column) < count
                : names != null && Arrays.asList(names).contains(column);
    }

    private static int column(String file, String[] names, int count, String column, String field) {
        if (column.matches("\\d+")) {
            int index = Integer.parseInt(column);
            if (index >= count) {
                throw new IllegalArgumentException(field + " " + index + " is out of range: " + file + " has "
                        + count + " columns (indices 0 to " + (count - 1) + ")");
            }
            return index;
        }
        if (names == null) {
            throw new IllegalArgumentException(field + " '" + column + "' is a column name, but data.header is false;"
                    + " set data.header: true or give a 0-based column index");
        }
        int index = Arrays.asList(names).indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException(field + " '" + column + "' is not a column of " + file + ", which has "
                    + Arrays.toString(names) + (field.equals("data.label_column") ? "; train and evaluate need "
                    + "labelled data (predict scores data without labels)" : ""));
        }
        return index;
    }
}
