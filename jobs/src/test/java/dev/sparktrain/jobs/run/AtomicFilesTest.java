package dev.sparktrain.jobs.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ps.io.WriteFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file sparktrain shows a user is complete or absent: a write that fails (a full disk) leaves the old content
 * and no temporary file, and says which file, why and how much was written.
 */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @AfterEach
    void noFault() {
        AtomicFiles.fault = target -> { };
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void fullDiskAt(String name) {
        AtomicFiles.fault = target -> {
            if (target.getFileName().toString().equals(name)) {
                throw new IOException("No space left on device");
            }
        };
    }

    @Test
    void aFullDiskKeepsTheOldFileAndNamesWhatCouldNotBeWritten() throws IOException {
        Path target = dir.resolve("params.npy");
        Files.write(target, new byte[] {1, 2, 3});
        fullDiskAt("params.npy");
        WriteFailure e = assertThrows(WriteFailure.class,
                () -> AtomicFiles.write(target, temp -> Files.write(temp, new byte[12_345_678])));
        assertEquals(target + ": no space left on device (wrote 12.3 MB)", e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target), "the old content");
        assertEquals(List.of("params.npy"), names(), "no temporary file left");
    }

    @Test
    void aFolderIsReplacedWholeOrNotAtAll() throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("a.txt"), "old a");
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put("a.txt", temp -> Files.writeString(temp, "new a"));
        files.put("b.txt", temp -> Files.writeString(temp, "new b"));
        fullDiskAt("b.txt");
        WriteFailure e = assertThrows(WriteFailure.class, () -> AtomicFiles.writeFolder(model, files));
        assertEquals(model.resolve("b.txt") + ": no space left on device (wrote 5 B)", e.getMessage());
        assertEquals("old a", Files.readString(model.resolve("a.txt")));
        assertEquals(List.of("model"), names(), "no temporary folder left");

        AtomicFiles.fault = target -> { };
        AtomicFiles.writeFolder(model, files);
        assertEquals("new a", Files.readString(model.resolve("a.txt")));
        assertEquals("new b", Files.readString(model.resolve("b.txt")));
        assertEquals(List.of("model"), names(), "the old folder is gone");
    }

    @Test
    void writeIfAbsentNeverReplacesAFileThatAppearedMeanwhile() throws IOException {
        Path target = dir.resolve("pred.csv");
        boolean written = AtomicFiles.writeIfAbsent(target, temp -> {
            Files.writeString(temp, "predictions");
            Files.writeString(target, "the user's file, saved while the predictions were computed");
        });
        assertEquals(false, written);
        assertEquals("the user's file, saved while the predictions were computed", Files.readString(target));
        assertEquals(List.of("pred.csv"), names(), "no temporary file left");
        Files.delete(target);
        assertTrue(AtomicFiles.writeIfAbsent(target, temp -> Files.writeString(temp, "predictions")));
        assertEquals("predictions", Files.readString(target));
        assertEquals(List.of("pred.csv"), names());
    }

    /** The operating system's own error, on a real 64 KiB file system. */
    @Test
    void theSystemsNoSpaceErrorOnARealSmallDisk() throws IOException {
        Optional<SmallDisk> mounted = SmallDisk.mount(dir.resolve("disk"), 64 * 1024);
        Assumptions.assumeTrue(mounted.isPresent(), "mounting a tmpfs is not allowed here");
        try (SmallDisk disk = mounted.get()) {
            Path target = disk.root().resolve("params.npy");
            WriteFailure e = assertThrows(WriteFailure.class,
                    () -> AtomicFiles.write(target, temp -> Files.write(temp, new byte[1_000_000])));
            assertEquals(target + ": no space left on device (wrote 65.5 KB)", e.getMessage());
            try (Stream<Path> s = Files.list(disk.root())) {
                assertTrue(s.findAny().isEmpty(), "no temporary file left");
            }
        }
    }
}
