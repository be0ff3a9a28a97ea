package dev.sparktrain.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident and peak resident memory of this JVM (Linux {@code /proc/self/status}: VmRSS, VmHWM) and what of the
 * resident memory lies outside the Java heap (resident − heap committed): ND4J's native arrays, OpenBLAS buffers,
 * metaspace, thread stacks. ND4J 1.0.0-M2.1 does not count its native allocations in JavaCPP's totals, so this
 * difference is where a native leak would show.
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
        long heap = Runtime.getRuntime().totalMemory();
        return new ProcessMemory(ManagementFactory.getRuntimeMXBean().getPid(), rss, hwm, rss < 0 ? -1 : rss - heap);
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
