package dev.sparktrain.jobs.ml;

import java.util.Arrays;
import java.util.Map;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** Schema checks and output columns shared by the estimators and models (Spark calls these before any job). */
final class MlSchemas {

    private MlSchemas() {
    }

    /** The features column must be a Spark ML vector or an array of float or double. */
    static void checkFeatures(StructType schema, String column) {
        DataType type = type(schema, column, "featuresCol");
        boolean array = type instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType)
                || a.elementType().equals(DataTypes.DoubleType));
        if (!(type instanceof VectorUDT) && !array) {
            throw new IllegalArgumentException("featuresCol '" + column + "' is " + type.simpleString()
                    + ", expected a Spark ML vector (e.g. from VectorAssembler) or array<float|double>");
        }
    }

    /** The label column must be numeric. */
    static void checkLabel(StructType schema, String column) {
        DataType type = type(schema, column, "labelCol");
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("labelCol '" + column + "' is " + type.simpleString()
                    + ", expected a number (use StringIndexer for string labels)");
        }
    }

    /** {@code schema} with the output columns appended in order; empty names are skipped (Spark ML's convention). */
    static StructType append(StructType schema, Map<String, OutputColumn> outputs) {
        StructType out = schema;
        for (Map.Entry<String, OutputColumn> e : outputs.entrySet()) {
            if (e.getKey().isEmpty()) {
                continue;
            }
            if (Arrays.asList(out.fieldNames()).contains(e.getKey())) {
                throw new IllegalArgumentException("output column '" + e.getKey() + "' already exists; choose "
                        + "another name with its set...Col method");
            }
            out = out.add(e.getKey(), e.getValue().type(), false);
        }
        return out;
    }

    private static DataType type(StructType schema, String column, String param) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(param + " '" + column + "' is not a column; the columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(column).dataType();
    }
}
