package dev.sparktrain.jobs.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP addresses processes listen on, read from Linux's {@code /proc}: each process's socket inodes from
 * {@code /proc/PID/fd}, matched with the LISTEN entries of {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 * Lets a test check that a local cluster keeps every port on loopback.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** For each PID, the "address:port" of every socket it listens on. */
    static Map<Long, List<String>> of(List<Long> pids) throws IOException {
        Map<String, String> listeningByInode = new HashMap<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path path = Path.of(table);
            if (Files.isReadable(path)) {
                List<String> lines = Files.readAllLines(path);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && LISTEN.equals(f[3])) {
                        listeningByInode.put(f[9], address(f[1]));
                    }
                }
            }
        }
        Map<Long, List<String>> result = new LinkedHashMap<>();
        for (long pid : pids) {
            List<String> addresses = new ArrayList<>();
            for (String inode : socketInodes(pid)) {
                String address = listeningByInode.get(inode);
                if (address != null) {
                    addresses.add(address);
                }
            }
            result.put(pid, addresses);
        }
        return result;
    }

    /** Whether an "address:port" from {@link #of} is a loopback address (127.0.0.0/8, ::1, ::ffff:127.x). */
    static boolean isLoopback(String addressAndPort) {
        String host = addressAndPort.substring(0, addressAndPort.lastIndexOf(':'));
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> s = Files.list(fds)) {
            for (Path fd : s.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing
                }
            }
        }
        return inodes;
    }

    /**
     * "0100007F:1F90" (tcp) or 32 hex digits and a port (tcp6) to "127.0.0.1:8080" / "[::1]:8080". The kernel prints
     * the address as 32-bit words in host (little-endian) byte order.
     */
    private static String address(String hexAddressAndPort) throws UnknownHostException {
        String[] parts = hexAddressAndPort.split(":");
        String hex = parts[0];
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + Integer.parseInt(parts[1], 16);
    }
}
