package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.SparkFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizationTest {

    private static DataBlock block(float... xy) {
        int rows = xy.length / 3;
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = xy[3 * r];
            x[2 * r + 1] = xy[3 * r + 1];
            y[r] = xy[3 * r + 2];
        }
        return new DataBlock(rows, 2, x, y);
    }

    @Test
    void mergedMomentsEqualThoseOfAllRowsAndEmptyIsTheIdentity() {
        DataBlock a = block(1, 5, 0, 2, 5, 0, 3, 5, 0);
        DataBlock b = block(1e6f + 4, 5, 1);
        double[] all = FeatureMoments.of(DataBlock.concat(List.of(a, b), 2));
        double[] merged = FeatureMoments.merge(FeatureMoments.of(a), FeatureMoments.of(b));
        assertArrayEquals(all, merged, 1e-6);
        double[] empty = new double[5];
        assertArrayEquals(merged, FeatureMoments.merge(empty, merged));
        assertArrayEquals(merged, FeatureMoments.merge(merged, empty));
    }

    @Test
    void fitsOnTrainingBlocksAndLeavesConstantFeaturesUnscaled() {
        CachedBlocks train = CachedBlocks.cache(SparkFixture.context().parallelize(List.of(block(1, 7, 0, 3, 7, 1),
                block(5, 7, 0, 7, 7, 1)), 2), 2, 2, "standardization test");
        Standardization st = Standardization.fit(train);
        train.release();
        assertArrayEquals(new float[] {4, 7}, st.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(5), 1}, st.std(), 1e-6f);
        DataBlock out = st.apply(block(4, 8, 1));
        assertArrayEquals(new float[] {0, 1}, out.features(), 1e-6f);
        assertArrayEquals(new float[] {1}, out.labels());
    }

    @Test
    void applyDoesNotChangeItsInput() {
        DataBlock in = block(1, 2, 0);
        new Standardization(new float[] {1, 1}, new float[] {2, 2}).apply(in);
        assertEquals(1, in.features()[0]);
    }
}
