package dev.sparktrain.ps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fused update's norms are measured when first read, or before the server next changes: the same values whenever
 * they are read, and the parameters, snapshots and the refusal of a non-finite mean are those of reading them at once.
 */
class PendingNormsTest {

    private static final int LENGTH = 2 * 8192 + 333;

    private static float[] vector(Random random, float scale) {
        float[] v = new float[LENGTH];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * scale;
        }
        return v;
    }

    @Test
    void syncNormsReadLateAreTheNormsReadAtOnce() {
        Random random = new Random(5);
        float[] initial = vector(random, 1);
        ParameterServer atOnce = new ParameterServer(Nd4j.createFromArray(initial), Adam.defaults(0.01));
        ParameterServer late = new ParameterServer(Nd4j.createFromArray(initial), Adam.defaults(0.01));
        ParameterSnapshot atOnceSnapshot = atOnce.snapshot(atOnce.snapshot(null));
        ParameterSnapshot lateSnapshot = late.snapshot(late.snapshot(null));
        List<double[]> expected = new ArrayList<>();
        List<ParameterServer.Update> updates = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            float[] sums = vector(random, 64);
            ParameterServer.Update now = atOnce.applyMeanGradient(sums, 64);
            expected.add(new double[] {now.gradientNorm(), now.updateNorm(), atOnce.paramsNorm()});
            // The late reader hands the parameters out first, and reads the norms only after the next update.
            updates.add(late.applyMeanGradient(sums, 64));
            lateSnapshot = late.snapshot(lateSnapshot);
            atOnceSnapshot = atOnce.snapshot(atOnceSnapshot);
            assertArrayEquals(atOnceSnapshot.params(), lateSnapshot.params(), 0f, "round " + round);
            if (round % 2 == 1) {
                // Every other round, the parameters' norm is read before the update's norms.
                assertEquals(expected.get(round)[2], late.paramsNorm(), "params norm, round " + round);
            }
        }
        for (int round = 0; round < 5; round++) {
            ParameterServer.Update update = updates.get(round);
            assertEquals(expected.get(round)[0], update.gradientNorm(), "gradient norm, round " + round);
            assertEquals(expected.get(round)[1], update.updateNorm(), "update norm, round " + round);
        }
        assertEquals(expected.get(4)[2], late.paramsNorm());
        assertArrayEquals(atOnce.params().toFloatVector(), late.params().toFloatVector(), 0f);
    }

    @Test
    void aPendingUpdateIsMeasuredBeforeAnythingOverwritesItsVectors() {
        Random random = new Random(9);
        float[] initial = vector(random, 1);
        float[] sums = vector(random, 8);
        ParameterServer atOnce = new ParameterServer(Nd4j.createFromArray(initial), Adam.defaults(0.01));
        ParameterServer late = new ParameterServer(Nd4j.createFromArray(initial), Adam.defaults(0.01));
        ParameterServer.Update expected = atOnce.applyMeanGradient(sums, 8);
        double gradientNorm = expected.gradientNorm();
        ParameterServer.Update pending = late.applyMeanGradient(sums, 8);
        // distanceTo uses the change's scratch vector; importState replaces everything.
        late.distanceTo(Nd4j.createFromArray(initial));
        late.importState(atOnce.exportState());
        assertEquals(gradientNorm, pending.gradientNorm());
        assertEquals(expected.updateNorm(), pending.updateNorm());
        assertEquals(expected, pending);
        assertTrue(pending.updateNorm() > 0);
    }

    @Test
    void aNonFiniteMeanIsRefusedBeforeTheParametersChange() {
        Random random = new Random(2);
        float[] initial = vector(random, 1);
        ParameterServer server = new ParameterServer(Nd4j.createFromArray(initial), Sgd.nesterov(0.7, 0.5));
        ParameterSnapshot snapshot = server.snapshot(server.snapshot(null));
        float[] mean = vector(random, 1);
        ParameterServer.Update previous = server.applyOuterStep(mean, null).orElseThrow();
        ParameterSnapshot before = server.snapshot(snapshot);
        float[] bad = vector(random, 1);
        bad[LENGTH - 5] = Float.POSITIVE_INFINITY;
        long version = server.version();
        assertEquals(Optional.empty(), server.applyOuterStep(bad, null));
        bad[LENGTH - 5] = Float.NaN;
        assertEquals(Optional.empty(), server.applyParameterAverage(bad, InnerStatePolicy.RESET, null));
        assertEquals(version, server.version());
        assertArrayEquals(before.params(), server.params().toFloatVector(), 0f);
        assertArrayEquals(before.params(), server.snapshot().params(), 0f);
        assertTrue(Double.isFinite(previous.updateNorm()) && previous.updateNorm() > 0);
    }
}
