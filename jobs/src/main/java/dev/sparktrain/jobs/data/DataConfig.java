package dev.sparktrain.jobs.data;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the data is and how to read it. Paths are resolved on the driver to absolute URIs so executors on other
 * machines see the same file (on a cluster, use a shared file system such as HDFS or S3).
 *
 * @param format         {@code data.format}: a registered {@link DataFormat}'s name (idx, csv, libsvm, parquet, orc,
 *                       json or table)
 * @param trainImages    {@code data.train_images} (idx)
 * @param trainLabels    {@code data.train_labels} (idx)
 * @param testImages     {@code data.test_images} (idx), may be null (no evaluation)
 * @param testLabels     {@code data.test_labels} (idx), with test_images
 * @param trainPath      {@code data.train_path}: file, directory or glob (a table name for {@code table})
 * @param testPath       {@code data.test_path}, may be null
 * @param header         {@code data.header} (csv): the first line of every file names the columns
 * @param delimiter      {@code data.delimiter} (csv): one character
 * @param labelColumn    {@code data.label_column} (csv, DataFrames): a column name, or a 0-based index for csv
 * @param featureColumns {@code data.feature_columns} (csv): names or indices; empty means all but the label
 * @param featuresColumn {@code data.features_column} (DataFrames): a Vector or array column
 * @param numFeatures    {@code data.num_features} (libsvm): 0 means inferred from the largest index
 * @param normalize      {@code data.normalize}
 * @param scale          {@code data.scale}: with normalize {@code scale}, raw feature values are multiplied by it
 */
public record DataConfig(String format, String trainImages, String trainLabels, String testImages,
                         String testLabels, String trainPath, String testPath, boolean header, String delimiter,
                         String labelColumn, List<String> featureColumns, String featuresColumn, int numFeatures,
                         Normalize normalize, double scale) {

    public static final String DEFAULT_FORMAT = "idx";
    public static final boolean DEFAULT_HEADER = false;
    public static final String DEFAULT_DELIMITER = ",";
    public static final String DEFAULT_LABEL_COLUMN = "label";
    public static final String DEFAULT_FEATURES_COLUMN = "features";
    public static final int DEFAULT_NUM_FEATURES = 0;
    public static final String DEFAULT_NORMALIZE = "scale";
    public static final double DEFAULT_SCALE = 1.0;

    /** How features are transformed after reading. */
    public enum Normalize {
        /** Values as read. */
        NONE,
        /** Multiplied by {@code data.scale}. */
        SCALE,
        /** Per-feature mean and standard deviation of the training set, applied to train and test. */
        STANDARDIZE;

        public static Normalize parse(String value) {
            for (Normalize n : values()) {
                if (n.configName().equals(value)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("data.normalize must be one of [none, scale, standardize], got '"
                    + value + "'");
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DataConfig {
        require(format, "data.format");
        featureColumns = List.copyOf(featureColumns == null ? List.of() : featureColumns);
        Objects.requireNonNull(normalize, "normalize");
        if ("idx".equals(format)) {
            require(trainImages, "data.train_images");
            require(trainLabels, "data.train_labels");
            if (trainPath != null || testPath != null) {
                throw new IllegalArgumentException("data.train_path and data.test_path are for the other formats; "
                        + "format idx uses data.train_images and data.train_labels");
            }
            if ((testImages == null) != (testLabels == null)) {
                throw new IllegalArgumentException("data.test_images and data.test_labels must be given together");
            }
        } else {
            require(trainPath, "data.train_path");
            if (trainImages != null || trainLabels != null || testImages != null || testLabels != null) {
                throw new IllegalArgumentException("data.train_images/train_labels/test_images/test_labels are for "
                        + "format idx; format " + format + " uses data.train_path and data.test_path");
            }
        }
        if (delimiter == null || delimiter.length() != 1 || "\"\r\n".contains(delimiter)) {
            throw new IllegalArgumentException("data.delimiter must be one character other than a quote or a line "
                    + "break, got '" + delimiter + "'");
        }
        require(labelColumn, "data.label_column");
        require(featuresColumn, "data.features_column");
        if (numFeatures < 0) {
            throw new IllegalArgumentException("data.num_features must be >= 0 (0: inferred), got " + numFeatures);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("data.scale must be a finite number > 0, got " + scale);
        }
        if (normalize != Normalize.SCALE && scale != 1.0) {
            throw new IllegalArgumentException("data.scale is only used with data.normalize: scale, got scale " + scale
                    + " with normalize " + normalize.configName());
        }
    }

    public boolean hasTest() {
        return "idx".equals(format) ? testImages != null : testPath != null;
    }

    /** The paths of the training set for its reader: {@code [images, labels]} for idx, {@code [path]} otherwise. */
    public List<String> trainPaths() {
        return "idx".equals(format) ? List.of(trainImages, trainLabels) : List.of(trainPath);
    }

    /** As {@link #trainPaths()} for the test set; call only if {@link #hasTest()}. */
    public List<String> testPaths() {
        return "idx".equals(format) ? List.of(testImages, testLabels) : List.of(testPath);
    }

    /** {@code data.feature_columns}: a list of names or 0-based indices (one value is a list of one). */
    public static List<String> columns(Object value) {
        if (value == null) {
            return List.of();
        }
        java.util.List<?> list = value instanceof List<?> l ? l : List.of(value);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("data.feature_columns must list at least one column, got []");
        }
        List<String> out = new java.util.ArrayList<>();
        for (Object item : list) {
            if (item == null || item instanceof java.util.Map<?, ?> || item instanceof List<?>) {
                throw new IllegalArgumentException("data.feature_columns entries must be column names or indices, got "
                        + item);
            }
            out.add(String.valueOf(item));
        }
        return out;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
