package dev.sparktrain.ps.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Adam;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A checkpoint written by the code before the parameter server dropped its epoch counter (the resource was
 * written by that code: two Adam steps on six parameters, then one {@code nextEpoch()}) still loads: its
 * {@code epoch} counter is read past, everything else restores bitwise, and a new checkpoint no longer writes it.
 */
class OldCheckpointTest {

    private static final Path OLD = Path.of("src/test/resources/checkpoints/written-with-epoch-counter/"
            + "ckpt-000000000002");

    @Test
    void aCheckpointWithAnEpochCounterStillLoads() {
        Checkpoint old = new CheckpointStore(OLD.getParent(), 1).load(OLD, Map.of("optimizer", Map.of("type", "adam",
                "lr", 0.01), "epochs", 3), Set.of("optimizer"));
        assertEquals(1L, old.counters().get("epoch"));
        ParameterServer server = new ParameterServer(Nd4j.zeros(DataType.FLOAT, 6), Adam.defaults(0.01));
        ServerCheckpoints.RunInfo info = ServerCheckpoints.restore(old, server);
        assertArrayEquals(new float[] {0.48733664f, -0.9891068f, 1.9800882f, 0.26014003f, -0.76f, 1.5099086f},
                server.snapshot().params());
        assertArrayEquals(new float[] {0.004f, -0.0030000005f, 0.052f, -0.001000002f, 0.0f, 0.001000002f},
                server.optimizerState().slot("m").toFloatVector());
        assertEquals(2, server.version());
        assertEquals(2, server.step());
        assertEquals(Map.of("run", 42L), info.seeds());
        assertEquals(5, info.extra().get("shuffle_position"));

        assertFalse(ServerCheckpoints.capture(server, info).counters().containsKey("epoch"));
    }
}
