package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.SparkFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.data.libsvm.LibSvmReader;
import dev.sparktrain.jobs.run.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibSvmReaderTest {

    @TempDir
    Path dir;

    private String write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    private static List<DataBlock> read(int numFeatures, String path, int workers, LabelSpec labels) {
        ReadRequest req = new ReadRequest("train", List.of(TrainingData.absolute(path)), workers, labels, 1f);
        return CollectedBlocks.collect(TrainingData.read(SparkFixture.context(), new LibSvmReader(numFeatures), req, null));
    }

    private static String error(int numFeatures, String path) {
        return assertThrows(IllegalArgumentException.class,
                () -> read(numFeatures, path, 1, LabelSpec.classification(2))).getMessage();
    }

    @Test
    void infersTheFeatureCountAndFillsMissingIndicesWithZeros() throws IOException {
        String path = write("a.svm", "1 1:0.5 3:2\n# a comment line\n0 2:-1 # trailing comment\n\n1 4:7\n0\n");
        List<DataBlock> blocks = read(0, path, 2, LabelSpec.classification(2));
        assertEquals(4, blocks.get(0).featureSize());
        assertEquals(4, blocks.stream().mapToInt(DataBlock::rows).sum());
        assertArrayEquals(new float[] {0.5f, 0, 2, 0, 0, -1, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0}, CollectedBlocks.features(blocks));
        assertArrayEquals(new float[] {1, 0, 1, 0}, CollectedBlocks.labels(blocks));
    }

    @Test
    void givenFeatureCountPadsRows() throws IOException {
        String path = write("a.svm", "2.5 1:1\n-1 2:1\n");
        List<DataBlock> blocks = read(3, path, 1, LabelSpec.regression());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, CollectedBlocks.features(blocks));
        assertArrayEquals(new float[] {2.5f, -1}, CollectedBlocks.labels(blocks));
    }

    @Test
    void badLinesNameFileAndLine() throws IOException {
        String p = write("b.svm", "1 1:1\n0 2:x\n");
        assertEquals(p + " line 2: value of index 2 is 'x', expected a number", error(0, p));
        p = write("c.svm", "1 1:1\n1 3:1 2:1\n");
        assertEquals(p + " line 2: index 2 follows index 3, expected increasing indices", error(0, p));
        p = write("d.svm", "1 0:1\n");
        assertEquals(p + " line 1: index 0 must be >= 1 (LibSVM indices are 1-based)", error(0, p));
        p = write("e.svm", "1 1:1\n1 5:1\n");
        assertEquals(p + " line 2: index 5 is larger than data.num_features 4", error(4, p));
        p = write("f.svm", "1 1:1\nyes 1:1\n");
        assertEquals(p + " line 2: label is 'yes', expected a number", error(0, p));
        p = write("g.svm", "1 1:1\n2 1:1\n");
        assertEquals(p + " line 2: label 2 is not a class index, expected a whole number in [0, 1]", error(0, p));
        p = write("h.svm", "1 1:1\n1 2:Infinity\n");
        assertEquals(p + " line 2: value of index 2 is 'Infinity', expected a finite number", error(3, p));
        p = write("i.svm", "1 1:1\n1 2\n");
        assertEquals(p + " line 2: '2' is not an index:value pair", error(0, p));
        p = write("j.svm", "");
        assertEquals(p + ": file is empty", error(0, p));
    }
}
