package dev.sparktrain.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * Resident and peak resident memory of this JVM (Linux {@code /proc/self/status}: VmRSS, VmHWM) and the off-heap
 * bytes ND4J holds through JavaCPP, which the Java heap figures do not show.
 */
public record ProcessMemory(long pid, long residentBytes, long peakResidentBytes, long offHeapBytes) {

    /** This process now; resident figures are -1 where {@code /proc} is not available. */
    public static ProcessMemory current() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: leave -1, the benchmark says "n/a".
        }
        return new ProcessMemory(ManagementFactory.getRuntimeMXBean().getPid(), rss, hwm, Pointer.totalBytes());
    }

    private static long kilobytes(String statusLine) {
        List<String> parts = List.of(statusLine.trim().split("\\s+"));
        return Long.parseLong(parts.get(1));
    }

    /** Mebibytes, one decimal. */
    public static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
