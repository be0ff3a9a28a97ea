package dev.sparktrain.jobs.bench.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.data.DataBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {

    private static final long P = 235_146;

    @Test
    void criticalBytesGrowWithTheClusterForTheStarAndWithTheFanOutDepthAndTheChainForTheTree() {
        double s = 4.0 * P;
        assertEquals(2 * s, CostModel.criticalBytes("star", 1, P));
        assertEquals(16 * s, CostModel.criticalBytes("star", 8, P));
        double piece = 4.0 * 65_536;
        assertEquals(2 * s, CostModel.criticalBytes("tree", 1, P), "one worker: the task in, the sum out");
        // 2 workers: worker 0's link passes the task to worker 1 before its own sum, then worker 1's last piece.
        assertEquals(3 * s + piece, CostModel.criticalBytes("tree", 2, P), 1e-6);
        // 4 workers: worker 0's link is free after 1 + 2 vectors (the driver's, its two children's).
        assertEquals(4 * s + 3 * piece, CostModel.criticalBytes("tree", 4, P), 1e-6);
        // 8 workers: worker 2 (worker 0's second child) has the task after 3 vectors, passes it to 5 and 6.
        assertArrayEquals(new double[] {1, 2, 3, 3, 4, 4, 5, 4}, CostModel.fanOutVectors(8));
        assertEquals(6 * s + 5 * piece, CostModel.criticalBytes("tree", 8, P), 1e-6);
        // 256 workers: the chain's pieces, one hop per later worker, outweigh the fan-out's depth.
        assertEquals(8 * s + 249 * piece, CostModel.criticalBytes("tree", 256, P), 1e-6);
        assertEquals(4 * 4000.0, CostModel.criticalBytes("tree", 2, 1000), "a vector smaller than a piece is one");
        assertThrows(IllegalArgumentException.class, () -> CostModel.criticalBytes("ring", 2, P));
    }

    @Test
    void fitRecoversTheCoefficientsOfRunsItGenerated() {
        CostModel truth = new CostModel(0.004, Map.of("100mbit", 0.93, "1gbit", 0.71), 0.7e-9, 0);
        List<ScaleRun> runs = runsOf(truth, 0);
        CostModel fitted = CostModel.fit(runs);
        assertEquals(truth.alphaSeconds(), fitted.alphaSeconds(), 1e-9);
        assertEquals(truth.kappaByLink().keySet(), fitted.kappaByLink().keySet());
        assertEquals(0.93, fitted.kappa("100mbit"), 1e-6);
        assertEquals(0.71, fitted.kappa("1gbit"), 1e-6);
        assertEquals(1, fitted.kappa("10gbit"), "a rate never measured: nominal");
        assertEquals(truth.gammaSecondsPerByte(), fitted.gammaSecondsPerByte(), 1e-15);
        for (ScaleRun r : runs) {
            assertEquals(r.efficiency(), CostModel.fitWithout(runs, r).efficiency(r), 1e-6, r.key());
        }
    }

    @Test
    void aNegativeCoefficientIsHeldAtZeroAndAnUnseenTermAtItsNeutralValue() {
        // Communication that shrinks as bytes grow has no physical reading: gamma would come out negative.
        List<ScaleRun> runs = List.of(run(1, "none", 0.30, 0.05), run(2, "none", 0.25, 0.05),
                run(4, "none", 0.20, 0.05));
        CostModel fitted = CostModel.fit(runs);
        assertEquals(0, fitted.gammaSecondsPerByte());
        assertEquals(Map.of(), fitted.kappaByLink(), "no shaped link, no kappa to fit");
        assertEquals(1, fitted.kappa("100mbit"));
        assertTrue(fitted.alphaSeconds() > 0.19 && fitted.alphaSeconds() < 0.31, fitted.toString());
    }

    @Test
    void efficiencyAndTheComputeItNeedsAgree() {
        CostModel m = new CostModel(0.004, Map.of("100mbit", 1.0), 1e-9, 3);
        double need = m.computeFor(0.8, 0.002, "star", 64, P, "100mbit");
        assertEquals(0.8, m.efficiency(need, 0.002, "star", 64, P, "100mbit"), 1e-12);
        assertTrue(m.efficiency(0.1, 0.002, "tree", 64, P, "100mbit")
                > m.efficiency(0.1, 0.002, "star", 64, P, "100mbit"));
    }

    @Test
    void figuresRoundTripThroughTheirScaleKeys() {
        ScaleRun r = new ScaleRun(4, "100mbit", "outer", "star", P, 12, 0.5, 0.3, 0.01, 4.1e6, 3.9e6);
        assertEquals("n4.100mbit.outer.star", r.key());
        ScaleRun back = ScaleRun.fromFigures(r.key(), r.figures());
        assertEquals(r.workers(), back.workers());
        assertEquals(r.roundSeconds(), back.roundSeconds(), 1e-6);
        assertEquals(r.commSeconds(), back.commSeconds(), 1e-6);
        assertEquals(0.6, back.efficiency(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ScaleRun.fromFigures("n4.100mbit.outer", r.figures()));
        assertThrows(IllegalArgumentException.class, () -> LinkRate.parse("fast"));
        assertEquals(1e9, LinkRate.parse("1gbit"));
    }

    @Test
    void blocksAreCutOrRepeatedToTheRowsARunNeeds() {
        DataBlock b = new DataBlock(3, 2, new float[] {1, 2, 3, 4, 5, 6}, new float[] {0, 1, 2});
        DataBlock longer = FixedRounds.resize(b, 5);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4}, longer.features());
        assertArrayEquals(new float[] {0, 1, 2, 0, 1}, longer.labels());
        assertArrayEquals(new float[] {1, 2}, FixedRounds.resize(b, 1).features());
        assertEquals(12 * 64 * 16, FixedRounds.rowsFor(12, 64, 16));
    }

    /** Runs whose communication the given model describes exactly. */
    private static List<ScaleRun> runsOf(CostModel m, double noise) {
        List<ScaleRun> runs = new ArrayList<>();
        for (String link : new String[] {"100mbit", "1gbit", "none"}) {
            for (int n : new int[] {1, 2, 4, 8}) {
                for (String exchange : new String[] {"star", "tree"}) {
                    double compute = 0.05 + 0.01 * n;
                    double comm = m.commSeconds(exchange, n, P, link) * (1 + noise);
                    runs.add(new ScaleRun(n, link, "sync", exchange, P, 10, compute + 0.002 + comm, compute, 0.002,
                            0, 0));
                }
            }
        }
        return runs;
    }

    private static ScaleRun run(int n, String link, double comm, double compute) {
        return new ScaleRun(n, link, "sync", "star", P, 10, compute + comm, compute, 0, 0, 0);
    }
}
