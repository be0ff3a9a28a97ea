package dev.sparktrain.ps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.ClipByGlobalNorm;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import dev.sparktrain.ps.optim.Sgd;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParameterServerTest {

    private static INDArray f(float... v) {
        return Nd4j.createFromArray(v);
    }

    @Test
    void aSnapshotCanReuseAnEarlierOnesArrayOfTheSameLength() {
        ParameterServer ps = new ParameterServer(f(1, 2, 3), Sgd.plain(0.5));
        ParameterSnapshot first = ps.snapshot();
        ps.applyMeanGradient(f(2, 0, -2));
        ParameterSnapshot second = ps.snapshot(first);
        assertSame(first.params(), second.params());
        assertArrayEquals(new float[] {0, 2, 4}, second.params());
        assertEquals(1, second.version());
        ParameterSnapshot other = ps.snapshot(new ParameterSnapshot(0, new float[2]));
        assertArrayEquals(new float[] {0, 2, 4}, other.params());
    }

    @Test
    void anExportedStateIsRefreshedInItsOwnArraysAndStillRestores() {
        ParameterServer ps = new ParameterServer(f(1, 2, 3), Adam.defaults(0.1));
        ps.applyMeanGradient(f(1, -1, 2));
        ServerState first = ps.exportState();
        ps.applyMeanGradient(f(2, 0, -2));
        ServerState refreshed = ps.exportState(first);
        ServerState fresh = ps.exportState();
        assertSame(first.params(), refreshed.params());
        for (String slot : List.of("m", "v")) {
            assertSame(first.optimizerState().slot(slot), refreshed.optimizerState().slot(slot));
            assertEquals(fresh.optimizerState().slot(slot), refreshed.optimizerState().slot(slot));
        }
        assertEquals(fresh.params(), refreshed.params());
        assertEquals(2, refreshed.optimizerState().step());
        assertEquals(2, refreshed.version());

        ps.applyMeanGradient(f(5, 5, 5));
        ps.importState(refreshed);
        assertArrayEquals(fresh.params().toFloatVector(), ps.snapshot().params());
        assertEquals(2, ps.step());
        // The server copied the state in: overwriting its arrays leaves the server's values alone.
        ServerState other = new ParameterServer(f(7, 7, 7), Adam.defaults(0.1)).exportState(refreshed);
        assertSame(refreshed.params(), other.params());
        assertArrayEquals(fresh.params().toFloatVector(), ps.snapshot().params());

        ServerState shorter = new ParameterServer(f(1, 2), Adam.defaults(0.1)).exportState();
        ServerState notReused = ps.exportState(shorter);
        assertNotSame(shorter.params(), notReused.params());
        assertEquals(fresh.params(), notReused.params());
        assertEquals(fresh.optimizerState().slot("m"), notReused.optimizerState().slot("m"));
    }

    @Test
    void meanGradientGoesThroughTheOptimizer() {
        ParameterServer ps = new ParameterServer(f(1, 2, 3), Sgd.plain(0.5));
        double norm = ps.applyMeanGradient(f(2, 0, -2));
        assertArrayEquals(new float[] {0, 2, 4}, ps.snapshot().params());
        assertEquals(Math.sqrt(2), norm, 1e-6);
        assertEquals(1, ps.version());
        assertEquals(1, ps.step());
        assertEquals(1, ps.snapshot().version());
    }

    @Test
    void steppingOnTheCallersGradientGivesTheSameParametersAsOnACopy() {
        // Adam steps in place, and clipping rewrites the gradient first.
        for (Optimizer optimizer : List.of(Adam.defaults(0.1), new ClipByGlobalNorm(Adam.defaults(0.1), 0.5))) {
            ParameterServer copying = new ParameterServer(f(1, 2, 3, 4), optimizer);
            ParameterServer overwriting = new ParameterServer(f(1, 2, 3, 4), optimizer);
            for (int round = 0; round < 5; round++) {
                INDArray g = f(round, -1, 0.5f, 2 - round);
                assertEquals(copying.applyMeanGradient(g), overwriting.applyMeanGradientOverwriting(g.dup()));
                assertArrayEquals(copying.snapshot().params(), overwriting.snapshot().params(), 0f);
            }
            assertEquals(copying.step(), overwriting.step());
        }
        ParameterServer ps = new ParameterServer(f(1, 2, 3, 4), Adam.defaults(0.1));
        assertThrows(IllegalArgumentException.class,
                () -> ps.applyMeanGradientOverwriting(Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0)));
        assertThrows(IllegalArgumentException.class, () -> ps.applyMeanGradientOverwriting(f(1, 2, 3)));
    }

    @Test
    void outerSgdWithRateOneIsPlainAveraging() {
        ParameterServer outer = new ParameterServer(f(1, 2, 3), Sgd.plain(1.0));
        ParameterServer avg = new ParameterServer(f(1, 2, 3), Adam.defaults(0.1));
        for (int round = 0; round < 10; round++) {
            INDArray mean = outer.params().mul(0.9).addi(f(round, -round, 0.5f));
            INDArray sameMean = avg.params().mul(0.9).addi(f(round, -round, 0.5f));
            assertArrayEquals(mean.toFloatVector(), sameMean.toFloatVector(), 0, "round " + round);
            outer.applyOuterStep(mean);
            avg.applyParameterAverage(sameMean, InnerStatePolicy.RESET, null);
            assertArrayEquals(avg.snapshot().params(), outer.snapshot().params(), 1e-6f, "round " + round);
        }
        assertEquals(10, outer.step());
        assertEquals(0, avg.step());
        assertEquals(10, avg.version());
    }

    /** FedAdam / DiLoCo: pseudo-gradient θ − mean, fed to the outer optimizer (here Nesterov). */
    @Test
    void outerNesterovOnThePseudoGradient() {
        ParameterServer ps = new ParameterServer(f(1, -1), Sgd.nesterov(0.7, 0.9));
        double[] p = {1, -1};
        double[] b = new double[2];
        for (int round = 1; round <= 10; round++) {
            double[] mean = {p[0] - 0.1 * round, p[1] + 0.05};
            ps.applyOuterStep(f((float) mean[0], (float) mean[1]));
            for (int i = 0; i < 2; i++) {
                double g = (float) p[i] - (float) mean[i];
                b[i] = 0.9 * b[i] + g;
                p[i] -= 0.7 * (g + 0.9 * b[i]);
            }
            float[] got = ps.snapshot().params();
            assertEquals(p[0], got[0], 1e-5);
            assertEquals(p[1], got[1], 1e-5);
            p = new double[] {got[0], got[1]};
        }
    }

    @Test
    void averagedInnerStateIsHeldOnlyWithThePolicyAverage() {
        ParameterServer ps = new ParameterServer(f(1, 2), Sgd.plain(1));
        OptimizerState inner = new OptimizerState(5, Map.of("m", f(0.5f, 0.25f)));
        ps.applyParameterAverage(f(3, 4), InnerStatePolicy.AVERAGE, inner);
        assertEquals(5, ps.innerState().orElseThrow().step());
        assertArrayEquals(new float[] {0.5f, 0.25f}, ps.innerState().orElseThrow().slot("m").toFloatVector());
        ps.applyParameterAverage(f(3, 4), InnerStatePolicy.RESET, null);
        assertTrue(ps.innerState().isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> ps.applyParameterAverage(f(3, 4), InnerStatePolicy.AVERAGE, null));
        assertThrows(IllegalArgumentException.class,
                () -> ps.applyParameterAverage(f(3, 4), InnerStatePolicy.KEEP, inner));
        assertEquals("mean parameters has 3 elements, parameters have 2", assertThrows(
                IllegalArgumentException.class,
                () -> ps.applyParameterAverage(f(1, 2, 3), InnerStatePolicy.RESET, null)).getMessage());
    }

    @Test
    void accessorsReturnCopies() {
        ParameterServer ps = new ParameterServer(f(1, 2), Sgd.plain(1));
        ps.params().assign(99);
        ps.snapshot().params()[0] = 99;
        assertArrayEquals(new float[] {1, 2}, ps.snapshot().params());
    }

    /** Readers never see a torn vector: every element of a snapshot has the same round value. */
    @Test
    void concurrentReadersSeeWholeVersions() throws Exception {
        int n = 100_000;
        ParameterServer ps = new ParameterServer(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n),
                Sgd.plain(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> reader = pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    ParameterSnapshot s = ps.snapshot();
                    float expected = s.version();
                    for (float x : s.params()) {
                        if (x != expected) {
                            throw new AssertionError("version " + s.version() + " holds " + x);
                        }
                    }
                }
            });
            INDArray minusOne = Nd4j.valueArrayOf(new long[] {n}, -1f);
            for (int round = 0; round < 200; round++) {
                ps.applyMeanGradient(minusOne);
            }
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
