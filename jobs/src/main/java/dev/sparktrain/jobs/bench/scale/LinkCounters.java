package dev.sparktrain.jobs.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes a network interface of this host (this process's network namespace) has received and sent, from
 * {@code /sys/class/net/DEVICE/statistics}: on the simulated hosts of {@code bin/netns-cluster}, the driver's link.
 */
public record LinkCounters(long receivedBytes, long sentBytes) {

    public static LinkCounters read(String device) {
        Path dir = Path.of("/sys/class/net", device, "statistics");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--link-device: expected a network interface of this host, found no "
                    + dir);
        }
        try {
            return new LinkCounters(Long.parseLong(Files.readString(dir.resolve("rx_bytes")).strip()),
                    Long.parseLong(Files.readString(dir.resolve("tx_bytes")).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    public LinkCounters minus(LinkCounters earlier) {
        return new LinkCounters(receivedBytes - earlier.receivedBytes, sentBytes - earlier.sentBytes);
    }
}
