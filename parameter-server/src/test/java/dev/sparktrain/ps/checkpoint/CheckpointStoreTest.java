package dev.sparktrain.ps.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.io.WriteFailure;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.OptimizerState;
import dev.sparktrain.ps.optim.Sgd;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointStoreTest {

    @TempDir
    Path root;

    private static final Map<String, Object> CONFIG = Map.of("model", Map.of("layers", List.of(784, 10)),
            "optimizer", Map.of("type", "adam", "lr", 0.001), "epochs", 3);

    private static INDArray gradient(int round) {
        Nd4j.getRandom().setSeed(1000 + round);
        return Nd4j.randn(DataType.FLOAT, 1000);
    }

    private static ParameterServer trained(int rounds) {
        Nd4j.getRandom().setSeed(7);
        ParameterServer ps = new ParameterServer(Nd4j.randn(DataType.FLOAT, 1000), Adam.defaults(0.01));
        for (int r = 0; r < rounds; r++) {
            ps.applyMeanGradient(gradient(r));
        }
        return ps;
    }

    private static ServerCheckpoints.RunInfo run() {
        return new ServerCheckpoints.RunInfo(CONFIG, Map.of("run", 42L), Map.of("shuffle_position", 17,
                "note", "x"), Map.of("worker0.m", Nd4j.createFromArray(1.0, 2.0)));
    }

    private Path save(CheckpointStore store, ParameterServer ps) {
        return store.save(ServerCheckpoints.capture(ps, run()));
    }

    @Test
    void roundTripIsBitwiseAndResumingEqualsNotStopping() {
        ParameterServer ps = trained(3);
        ps.nextEpoch();
        ps.applyParameterAverage(ps.params(), InnerStatePolicy.AVERAGE,
                new OptimizerState(9, Map.of("m", Nd4j.rand(DataType.FLOAT, 1000))));
        CheckpointStore store = new CheckpointStore(root, 2);
        Path dir = save(store, ps);
        assertEquals("ckpt-000000000004", dir.getFileName().toString());

        ParameterServer resumed = new ParameterServer(Nd4j.zeros(DataType.FLOAT, 1000), Adam.defaults(0.01));
        ServerCheckpoints.RunInfo info = ServerCheckpoints.restore(store.load(dir, CONFIG, Set.of("model",
                "optimizer")), resumed);
        assertArrayEquals(ps.snapshot().params(), resumed.snapshot().params());
        for (String slot : List.of("m", "v")) {
            assertArrayEquals(ps.optimizerState().slot(slot).toFloatVector(),
                    resumed.optimizerState().slot(slot).toFloatVector());
        }
        assertArrayEquals(ps.innerState().orElseThrow().slot("m").toFloatVector(),
                resumed.innerState().orElseThrow().slot("m").toFloatVector());
        assertEquals(9, resumed.innerState().orElseThrow().step());
        assertEquals(List.of(4L, 3L, 1L), List.of(resumed.version(), resumed.step(), resumed.epoch()));
        assertEquals(Map.of("run", 42L), info.seeds());
        assertEquals(17, info.extra().get("shuffle_position"));
        assertArrayEquals(new double[] {1, 2}, info.arrays().get("worker0.m").toDoubleVector());
        assertEquals(CONFIG, info.config());

        for (int r = 3; r < 6; r++) {
            ps.applyMeanGradient(gradient(r));
            resumed.applyMeanGradient(gradient(r));
        }
        assertArrayEquals(ps.snapshot().params(), resumed.snapshot().params());
    }

    @Test
    void manifestRecordsVersionsCountersAndDigests() throws IOException {
        Path dir = save(new CheckpointStore(root, 1), trained(2));
        String manifest = Files.readString(dir.resolve("manifest.json"));
        for (String s : List.of("\"nd4j\"", "\"java\"", "\"sha256\"", "\"params\"", "\"optimizer.m\"",
                "\"shuffle_position\"", "\"<f4\"", "\"step\" : 2")) {
            assertTrue(manifest.contains(s), s + " in " + manifest);
        }
    }

    @Test
    void onlyTheLastKAreKept() {
        CheckpointStore store = new CheckpointStore(root, 2);
        ParameterServer ps = trained(0);
        for (int r = 0; r < 4; r++) {
            ps.applyMeanGradient(gradient(r));
            save(store, ps);
        }
        assertEquals(List.of("ckpt-000000000003", "ckpt-000000000004"),
                store.list().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of("ckpt-000000000003", "ckpt-000000000004"), visible());
    }

    @Test
    void truncatedAlteredAndMissingFilesGiveOneClearMessage() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 3);
        Path dir = save(store, trained(1));
        Path v = dir.resolve("optimizer.v.npy");
        byte[] original = Files.readAllBytes(v);

        try (RandomAccessFile f = new RandomAccessFile(v.toFile(), "rw")) {
            f.setLength(original.length - 7);
        }
        assertEquals("checkpoint " + dir + ": optimizer.v.npy has " + (original.length - 7)
                + " bytes, the manifest says " + original.length + " (truncated or replaced)", loadError(store, dir));

        byte[] altered = original.clone();
        altered[altered.length - 1] ^= 1;
        Files.write(v, altered);
        assertEquals("checkpoint " + dir + ": optimizer.v.npy fails its SHA-256 check (altered after writing)",
                loadError(store, dir));

        Files.delete(v);
        assertEquals("checkpoint " + dir + ": missing file optimizer.v.npy (listed in manifest.json)",
                loadError(store, dir));
        Files.writeString(dir.resolve("manifest.json"), "{\"format\": \n oops");
        assertEquals("checkpoint " + dir + ": manifest.json is not valid JSON: Unrecognized token 'oops': was"
                + " expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (line 2, column 6)",
                loadError(store, dir));
        Files.delete(dir.resolve("manifest.json"));
        assertEquals("checkpoint " + dir + ": missing manifest.json", loadError(store, dir));
    }

    @Test
    void mismatchedConfigOrOptimizerIsRefused() {
        CheckpointStore store = new CheckpointStore(root, 3);
        Path dir = save(store, trained(1));
        Map<String, Object> other = Map.of("model", Map.of("layers", List.of(784, 20)), "optimizer",
                CONFIG.get("optimizer"), "epochs", 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.load(dir, other, Set.of("model", "optimizer")));
        assertEquals("checkpoint " + dir + " does not fit this run: config field 'model' is {\"layers\":[784,10]}"
                + " in the checkpoint, {\"layers\":[784,20]} now", e.getMessage());
        store.load(dir, other, Set.of("optimizer")); // epochs may change on resume

        ParameterServer sgd = new ParameterServer(Nd4j.zeros(DataType.FLOAT, 1000), Sgd.momentum(0.1, 0.9));
        assertEquals("checkpoint was written with optimizer 'adam', this run uses 'momentum'", assertThrows(
                IllegalArgumentException.class, () -> ServerCheckpoints.restore(store.load(dir), sgd)).getMessage());
        ParameterServer small = new ParameterServer(Nd4j.zeros(DataType.FLOAT, 10), Adam.defaults(0.01));
        assertEquals("parameters has 1000 elements, parameters have 10", assertThrows(
                IllegalArgumentException.class, () -> ServerCheckpoints.restore(store.load(dir), small)).getMessage());
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointAndNothingVisible() {
        ParameterServer ps = trained(1);
        Path first = save(new CheckpointStore(root, 1), ps);
        ps.applyMeanGradient(gradient(5));
        for (String at : List.of("optimizer.v.npy", "manifest.json", "rename")) {
            CheckpointStore faulty = new CheckpointStore(root, 1, file -> {
                if (file.equals(at)) {
                    throw new IOException("disk full (injected before " + file + ")");
                }
            });
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> save(faulty, ps));
            assertTrue(e.getMessage().contains("injected before " + at), e.getMessage());
            assertEquals(List.of(first), faulty.list());
            assertEquals(List.of("ckpt-000000000001"), all());
            faulty.load(first);
        }
    }

    /** The system's own "No space left on device" while writing a file: one line naming the checkpoint's file. */
    @Test
    void aFullDiskNamesTheFileItCouldNotWrite() {
        ParameterServer ps = trained(1);
        Path first = save(new CheckpointStore(root, 3), ps);
        ps.applyMeanGradient(gradient(5));
        CheckpointStore full = new CheckpointStore(root, 3, file -> {
            if (file.equals("optimizer.v.npy")) {
                throw new IOException("No space left on device");
            }
        });
        WriteFailure e = assertThrows(WriteFailure.class, () -> save(full, ps));
        assertEquals(root.resolve("ckpt-000000000002").resolve("optimizer.v.npy")
                + ": no space left on device", e.getMessage());
        assertEquals(List.of(first), full.list());
        assertEquals(List.of("ckpt-000000000001"), all(), "no temporary folder left");
    }

    /** A crash (no cleanup at all) halfway leaves a hidden temporary folder that nothing reads; the next save removes it. */
    @Test
    void aCrashHalfwayIsInvisibleAndCleanedUpLater() {
        ParameterServer ps = trained(1);
        CheckpointStore store = new CheckpointStore(root, 1);
        Path first = save(store, ps);
        ps.applyMeanGradient(gradient(5));
        CheckpointStore crashing = new CheckpointStore(root, 1, file -> {
            if (file.equals("optimizer.m.npy")) {
                throw new Error("simulated crash");
            }
        });
        assertThrows(Error.class, () -> save(crashing, ps));
        assertEquals(2, all().size(), "the crash left its temporary folder: " + all());
        assertEquals(List.of("ckpt-000000000001"), visible());
        assertEquals(first, store.latest().orElseThrow());
        ServerCheckpoints.restore(store.load(first),
                new ParameterServer(Nd4j.zeros(DataType.FLOAT, 1000), Adam.defaults(0.01)));

        save(store, ps);
        assertEquals(List.of("ckpt-000000000002"), all());
    }

    private static String loadError(CheckpointStore store, Path dir) {
        return assertThrows(IllegalArgumentException.class, () -> store.load(dir)).getMessage();
    }

    private List<String> all() {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> visible() {
        return all().stream().filter(n -> !n.startsWith(".")).toList();
    }
}
