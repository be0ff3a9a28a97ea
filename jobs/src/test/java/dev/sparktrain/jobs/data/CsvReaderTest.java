package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.SparkFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.data.csv.CsvReader;
import dev.sparktrain.jobs.run.TrainingData;
import dev.sparktrain.ops.layers.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path dir;

    private static final String IRIS_HEADER = "sepal_length,sepal_width,petal_length,petal_width,species\n";

    /** {@code n} rows: feature k of row i is i + k/10, label i % 3. */
    private static String rows(int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            sb.append(i).append(".0,").append(i).append(".1,").append(i).append(".2,").append(i).append(".3,")
                    .append(i % 3).append('\n');
        }
        return sb.toString();
    }

    private String write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p.toString();
    }

    static List<DataBlock> read(CsvReader reader, String path, int workers, LabelSpec labels, Shape input) {
        ReadRequest req = new ReadRequest("train", List.of(TrainingData.absolute(path)), workers, labels, 1f);
        return CollectedBlocks.collect(TrainingData.read(SparkFixture.context(), reader, req, input));
    }

    private static CsvReader iris() {
        return new CsvReader(true, ',', "species", List.of());
    }

    private static String error(CsvReader reader, String path, int workers) {
        return assertThrows(IllegalArgumentException.class,
                () -> read(reader, path, workers, LabelSpec.classification(3), null)).getMessage();
    }

    @Test
    void readsEveryRowExactlyInOrderSplitEvenlyOverWorkers() throws IOException {
        String path = write("train.csv", IRIS_HEADER + rows(0, 10));
        List<DataBlock> blocks = read(iris(), path, 2, LabelSpec.classification(3), new Shape(4));
        assertEquals(2, blocks.size());
        assertEquals(5, blocks.get(0).rows());
        assertEquals(5, blocks.get(1).rows());
        float[] x = CollectedBlocks.features(blocks);
        float[] y = CollectedBlocks.labels(blocks);
        for (int i = 0; i < 10; i++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(Float.parseFloat(i + "." + k), x[i * 4 + k]);
            }
            assertEquals(i % 3, y[i]);
        }
    }

    @Test
    void readsADirectoryOfFilesEachWithHeaderSkippingHiddenFiles() throws IOException {
        write("parts/a.csv", IRIS_HEADER + rows(0, 3));
        write("parts/b.csv", IRIS_HEADER + rows(3, 4));
        write("parts/c.csv", IRIS_HEADER + rows(7, 2) + "\n");
        write("parts/_SUCCESS", "");
        List<DataBlock> blocks = read(iris(), dir.resolve("parts").toString(), 3, LabelSpec.classification(3), null);
        assertEquals(List.of(3, 3, 3), blocks.stream().map(DataBlock::rows).toList());
        float[] x = CollectedBlocks.features(blocks);
        for (int i = 0; i < 9; i++) {
            assertEquals(i, x[i * 4]);
        }
    }

    @Test
    void readsAGlobWithoutHeaderLabelByIndexAndChosenFeatures() throws IOException {
        write("g/a.csv", "1;10;100;0\n2;20;200;1\n");
        write("g/b.csv", "3;30;300;1\n4;40;400;0\n");
        write("g/skip.txt", "not;a;row\n");
        CsvReader reader = new CsvReader(false, ';', "3", List.of("2", "0"));
        List<DataBlock> blocks = read(reader, dir.resolve("g/*.csv").toString(), 2, LabelSpec.classification(2), null);
        assertArrayEquals(new float[] {100, 1, 200, 2, 300, 3, 400, 4}, CollectedBlocks.features(blocks));
        assertArrayEquals(new float[] {0, 1, 1, 0}, CollectedBlocks.labels(blocks));
    }

    @Test
    void regressionAcceptsAnyFiniteLabel() throws IOException {
        String path = write("r.csv", "x,y\n1,0.25\n2,-3.5\n");
        List<DataBlock> blocks = read(new CsvReader(true, ',', "y", List.of()), path, 2, LabelSpec.regression(), null);
        assertArrayEquals(new float[] {0.25f, -3.5f}, CollectedBlocks.labels(blocks));
    }

    @Test
    void nonNumericFieldNamesFileLineAndField() throws IOException {
        String text = IRIS_HEADER + rows(0, 15) + "1,2,3,abc,0\n" + rows(16, 10);
        String path = write("train.csv", text);
        assertEquals(path + " line 17: field 'petal_width' is 'abc', expected a number", error(iris(), path, 2));
    }

    @Test
    void badRowInTheSecondWorkersShareStillHasItsFileLineNumber() throws IOException {
        String path = write("train.csv", IRIS_HEADER + rows(0, 30) + "1,2,3,4\n");
        assertEquals(path + " line 32: has 4 fields, expected 5", error(iris(), path, 2));
    }

    @Test
    void nonFiniteFeatureIsRefused() throws IOException {
        String path = write("train.csv", IRIS_HEADER + rows(0, 2) + "1,NaN,3,4,0\n");
        assertEquals(path + " line 4: field 'sepal_width' is 'NaN', expected a finite number", error(iris(), path, 1));
        String inf = write("inf.csv", IRIS_HEADER + "1,2,1e39,4,0\n" + rows(0, 2));
        assertEquals(inf + " line 2: field 'petal_length' is '1e39', expected a finite number", error(iris(), inf, 1));
    }

    @Test
    void labelOutOfRangeNamesTheValue() throws IOException {
        String path = write("train.csv", IRIS_HEADER + rows(0, 3) + "1,2,3,4,3\n");
        assertEquals(path + " line 5: field 'species': label 3 is not a class index, expected a whole number in "
                + "[0, 2]", error(iris(), path, 2));
        String half = write("half.csv", IRIS_HEADER + "1,2,3,4,0.5\n");
        assertEquals(half + " line 2: field 'species': label 0.5 is not a class index, expected a whole number in "
                + "[0, 2]", error(iris(), half, 1));
    }

    @Test
    void emptyFilesAndEmptyDataSetsAreRefused() throws IOException {
        write("d/a.csv", IRIS_HEADER + rows(0, 3));
        String empty = write("d/b.csv", "");
        assertEquals(empty + ": file is empty", error(iris(), dir.resolve("d").toString(), 2));
        String headerOnly = write("h.csv", IRIS_HEADER);
        assertEquals(headerOnly + ": has no rows, only a header", error(iris(), headerOnly, 2));
        String blank = write("blank.csv", "\n\n");
        assertEquals(blank + " line 1: is empty, expected the header", error(iris(), blank, 2));
        String noRows = write("norows.csv", "1,2,3,4,0\n\n\n");
        String m = error(new CsvReader(false, ',', "4", List.of()), noRows, 2);
        assertEquals(noRows + ": 1 rows cannot feed 2 workers (training.workers); use fewer workers or more data", m);
        assertEquals(dir.resolve("missing") + ": no such file or directory", error(iris(), dir + "/missing", 2));
    }

    @Test
    void headerThatDiffersInALaterFileIsRefused() throws IOException {
        write("d/a.csv", IRIS_HEADER + rows(0, 3));
        String b = write("d/b.csv", "a,b,c,d,species\n" + rows(0, 3));
        assertEquals(b + " line 1: header 'a,b,c,d,species' differs from the first file's header '"
                + IRIS_HEADER.strip() + "'", error(iris(), dir.resolve("d").toString(), 2));
    }

    @Test
    void columnsAreResolvedOrRefusedOnTheDriver() throws IOException {
        String path = write("train.csv", IRIS_HEADER + rows(0, 3));
        assertEquals("data.label_column 'label' is not a column of " + path + ", which has [sepal_length, "
                + "sepal_width, petal_length, petal_width, species]; train and evaluate need labelled data (predict "
                + "scores data without labels)", error(new CsvReader(true, ',', "label", List.of()), path, 1));
        String noHeader = write("nh.csv", rows(0, 3));
        assertEquals("data.label_column 'species' is a column name, but data.header is false; set data.header: true "
                + "or give a 0-based column index", error(new CsvReader(false, ',', "species", List.of()), noHeader, 1));
        assertEquals("data.label_column 7 is out of range: " + noHeader + " has 5 columns (indices 0 to 4)",
                error(new CsvReader(false, ',', "7", List.of()), noHeader, 1));
    }

    @Test
    void featureCountMustMatchTheModelInputShape() throws IOException {
        String path = write("train.csv", IRIS_HEADER + rows(0, 3));
        String m = assertThrows(IllegalArgumentException.class, () -> read(iris(), path, 1,
                LabelSpec.classification(3), new Shape(1, 28, 28))).getMessage();
        assertEquals(path + ": rows have 4 features, but model.input_shape [1, 28, 28] expects 784", m);
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
        Path p = dir.resolve("bom.csv");
        String text = "species,sepal_length,sepal_width,petal_length,petal_width\n2,1,2,3,4\n0,5,6,7,8\n";
        Files.write(p, (("\uFEFF" + text)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<DataBlock> blocks = read(iris(), p.toString(), 1, LabelSpec.classification(3), new Shape(4));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, blocks.get(0).features());
        assertArrayEquals(new float[] {2, 0}, blocks.get(0).labels());
    }

    @Test
    void aTrailingDelimiterIsNamedAsSuch() throws IOException {
        String inHeader = write("trail-header.csv", IRIS_HEADER.replace("\n", ",\n") + rows(0, 4));
        assertEquals(inHeader + " line 1: ends with a trailing delimiter ',', which makes an empty last column; remove "
                + "the trailing ',' from every line", error(iris(), inHeader, 1));
        String inRow = write("trail-row.csv", IRIS_HEADER + rows(0, 4) + "9.0,9.1,9.2,9.3,0,\n");
        assertEquals(inRow + " line 6: ends with a trailing delimiter ',' (6 fields, the last empty), expected 5 "
                + "fields", error(iris(), inRow, 1));
    }

    @Test
    void unlabeledDataIsReadWhenLabelsAreOptionalAndRefusedOtherwise() throws IOException {
        String path = write("unlabeled.csv", "sepal_length,sepal_width,petal_length,petal_width\n1,2,3,4\n5,6,7,8\n");
        ReadRequest req = new ReadRequest("test", List.of(TrainingData.absolute(path)), 1,
                LabelSpec.classification(3), 1f).unlabeledAllowed();
        List<DataBlock> blocks = CollectedBlocks.collect(TrainingData.read(SparkFixture.context(), iris(), req, new Shape(4)));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, blocks.get(0).features());
        assertEquals(2, blocks.get(0).labels().length);
        assertEquals(Float.NaN, blocks.get(0).labels()[0]);
        assertEquals("data.label_column 'species' is not a column of " + path + ", which has [sepal_length, "
                + "sepal_width, petal_length, petal_width]; train and evaluate need labelled data (predict scores data "
                + "without labels)", error(iris(), path, 1));
    }

    @Test
    void aTruncatedOrFakeGzipFileIsBadInputNamingTheFile() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write((IRIS_HEADER + rows(0, 2000)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals(cut + ": truncated or corrupt gzip data (Unexpected end of ZLIB input stream); expected a "
                + "complete .gz file", error(iris(), cut.toString(), 1));
        String fake = write("plain.csv.gz", IRIS_HEADER + rows(0, 3));
        assertEquals(fake + ": not gzip data (Not in GZIP format); a file named .gz must be gzip-compressed",
                error(iris(), fake, 1));
    }
}
