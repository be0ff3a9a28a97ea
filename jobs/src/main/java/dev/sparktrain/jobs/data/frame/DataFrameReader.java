package dev.sparktrain.jobs.data.frame;

import dev.sparktrain.jobs.data.DataConfig;
import dev.sparktrain.jobs.data.DataFormat;
import dev.sparktrain.jobs.data.DatasetReader;
import dev.sparktrain.jobs.data.RawBlocks;
import dev.sparktrain.jobs.data.ReadRequest;
import dev.sparktrain.jobs.data.text.TextPiece;
import dev.sparktrain.ops.config.ConfigKey;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code data.format: parquet | orc | json | table}: Spark SQL reads the path (or, for {@code table}, the table of
 * that name), then {@link DataFrameBlocks} turns the features and label columns into blocks.
 */
public final class DataFrameReader implements DatasetReader {

    /**
     * A format Spark SQL reads ({@code parquet}, {@code orc}, {@code json}; {@code table} reads a table of the
     * session's catalog): train_path, test_path, label_column [label], features_column [features].
     */
    public static DataFormat format(String name) {
        return new DataFormat(name, List.of(
                ConfigKey.required("train_path", "table".equals(name) ? "train_table" : "train." + name),
                ConfigKey.derived("test_path", "table".equals(name) ? "test_table" : "test." + name,
                        "none: no evaluation"),
                ConfigKey.optional("label_column", DataConfig.DEFAULT_LABEL_COLUMN),
                ConfigKey.optional("features_column", DataConfig.DEFAULT_FEATURES_COLUMN)),
                data -> new DataFrameReader(name, data.featuresColumn(), data.labelColumn()));
    }

    private final String format;
    private final String featuresColumn;
    private final String labelColumn;

    public DataFrameReader(String format, String featuresColumn, String labelColumn) {
        this.format = format;
        this.featuresColumn = featuresColumn;
        this.labelColumn = labelColumn;
    }

    @Override
    public RawBlocks read(JavaSparkContext sc, ReadRequest request) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        String source = "table".equals(format) ? "table " + request.path() : TextPiece.display(request.path());
        Dataset<Row> df;
        try {
            df = "table".equals(format) ? spark.table(request.path()) : spark.read().format(format).load(request.path());
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            // AnalysisException: path or table not found, unreadable schema.
            throw new IllegalArgumentException(source + ": cannot read as " + format + ": " + firstLine(e.getMessage()), e);
        }
        return DataFrameBlocks.read(df, featuresColumn, labelColumn, request.workers(), request.labels(),
                request.scale(), source);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
