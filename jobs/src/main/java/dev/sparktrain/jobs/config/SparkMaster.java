package dev.sparktrain.jobs.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code spark.master}: checked as text when the config is read (Spark itself would fail only when the context
 * starts, with a stack trace), and a standalone master checked for an answer before Spark starts (Spark would try to
 * register three times for 20 s each and then bury "All masters are unresponsive" in its log).
 */
public final class SparkMaster {

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,\\s*[1-9][0-9]*)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[[1-9][0-9]*,\\s*[1-9][0-9]*,\\s*[1-9][0-9]*]");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._-]+):([0-9]{1,5})");
    static final String EXPECTED = "expected local, local[N], local[*], spark://HOST:PORT, yarn or k8s://https://HOST:PORT";

    /** How long a master may take to accept a connection before the run gives up on it. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private SparkMaster() {
    }

    /** {@code value} if it is a master URL Spark understands; otherwise an error naming {@code field}. */
    public static String check(String field, String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty; " + EXPECTED);
        }
        if (LOCAL.matcher(v).matches() || LOCAL_CLUSTER.matcher(v).matches() || v.equals("yarn")) {
            return v;
        }
        if (v.startsWith("k8s://") && v.length() > "k8s://".length()) {
            return v;
        }
        if (v.startsWith("spark://")) {
            addresses(field, v);
            return v;
        }
        throw new IllegalArgumentException(field + " '" + value + "' is not a Spark master URL; " + EXPECTED);
    }

    /**
     * For a standalone master ({@code spark://}), connects to each of its addresses with a short timeout and throws
     * an {@link UncheckedIOException} naming the master when none accepts; other masters are left to Spark.
     */
    public static void checkReachable(String field, String master) {
        if (master == null || !master.startsWith("spark://")) {
            return;
        }
        List<InetSocketAddress> addresses = addresses(field, master);
        IOException last = null;
        for (InetSocketAddress unresolved : addresses) {
            try (Socket socket = new Socket()) {
                InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
                if (address.isUnresolved()) {
                    throw new java.net.UnknownHostException(unresolved.getHostString());
                }
                socket.connect(address, CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        String reason = last instanceof java.net.SocketTimeoutException ? "no answer within "
                + CONNECT_TIMEOUT_MILLIS / 1000 + " s" : last instanceof java.net.UnknownHostException
                ? "unknown host " + last.getMessage() : String.valueOf(last.getMessage()).toLowerCase(java.util.Locale.ROOT);
        throw new UncheckedIOException("cannot reach the Spark master " + master + " (" + reason
                + "); start it (bin/local-cluster start) or fix " + field, last);
    }

    private static List<InetSocketAddress> addresses(String field, String master) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            var m = HOST_PORT.matcher(hostPort.strip());
            int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(field + " '" + master + "' is not a Spark master URL: '" + hostPort
                        + "' is not HOST:PORT with a port in [1, 65535]; " + EXPECTED);
            }
            String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return out;
    }
}
