package dev.sparktrain.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data section of the config as the readers see it. */
class DataConfigTest {

    private static RunConfig parse(String data) {
        return RunConfigParser.parse(ConfigTree.parse("t.yaml", "data:\n" + data.indent(2) + """
                model:
                  input_shape: [4]
                  layers: [{type: dense, units: 3}]
                  loss: softmax_cross_entropy
                optimizer: {type: adam}
                """));
    }

    private static String error(String data) {
        return assertThrows(IllegalArgumentException.class, () -> parse(data)).getMessage();
    }

    @Test
    void csvFieldsAndDefaults() {
        DataConfig d = parse("format: csv\ntrain_path: t.csv\nheader: true\ndelimiter: ';'\nlabel_column: species\n"
                + "feature_columns: [a, 2]\nnormalize: standardize").data();
        assertEquals("t.csv", d.trainPath());
        assertEquals(';', d.delimiter().charAt(0));
        assertEquals(List.of("a", "2"), d.featureColumns());
        assertEquals(DataConfig.Normalize.STANDARDIZE, d.normalize());
        assertEquals(List.of("t.csv"), d.trainPaths());
        DataConfig defaults = parse("format: parquet\ntrain_path: p").data();
        assertEquals("features", defaults.featuresColumn());
        assertEquals("label", defaults.labelColumn());
        assertEquals(DataConfig.Normalize.SCALE, defaults.normalize());
        assertEquals(LabelSpec.classification(3), LabelSpec.forModel(parse("format: csv\ntrain_path: t").model()));
    }

    @Test
    void refusesFieldsOfOtherFormatsAndContradictions() {
        assertEquals("data.num_features does not apply to format csv; its fields are [delimiter, feature_columns, "
                + "format, header, label_column, normalize, scale, test_path, train_path]",
                error("format: csv\ntrain_path: t\nnum_features: 3"));
        assertEquals("data.train_path is required", error("format: libsvm"));
        assertEquals("data.scale is only used with data.normalize: scale, got scale 0.5 with normalize standardize",
                error("format: csv\ntrain_path: t\nnormalize: standardize\nscale: 0.5"));
        assertEquals("data.normalize must be one of [none, scale, standardize], got 'zscore'",
                error("format: csv\ntrain_path: t\nnormalize: zscore"));
        assertEquals("data.delimiter must be one character other than a quote or a line break, got ';;'",
                error("format: csv\ntrain_path: t\ndelimiter: ';;'"));
        assertEquals("data.format must be one of [idx, csv, libsvm, parquet, orc, json, table], got 'cvs'; did you "
                + "mean 'csv'?", error("format: cvs\ntrain_path: t"));
    }
}
