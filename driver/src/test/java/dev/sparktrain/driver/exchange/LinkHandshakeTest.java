package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A connecting end trusts nobody either: it refuses an accepting end that does not hold the job's key before it has
 * proved anything itself, so an impostor driver learns no proof to relay; and the accepting end refuses a silent
 * connection once its opening time is up.
 */
class LinkHandshakeTest {

    private static final byte[] KEY = "the job's key, 32 bytes at least".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "an impostor's key, 32 bytes long".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aWorkerRefusesADriverWithoutTheKeyAndSendsNoProof() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<IOException> impostor = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel socket = listener.accept()) {
                    MessageChannel channel = MessageChannel.blocking(socket);
                    return assertThrows(IOException.class, () -> LinkSecurity.withKey(OTHER, false, 128)
                            .accept(channel));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            IOException refused = assertThrows(IOException.class, () -> LinkSecurity.withKey(KEY, false, 128)
                    .connect((InetSocketAddress) listener.getLocalAddress()));
            assertEquals("the accepting peer failed authentication: it does not hold this job's secret",
                    refused.getMessage());
            assertEquals("the other end closed the channel", impostor.get().getMessage(),
                    "the worker closed without answering the impostor's challenge");
        }
    }

    @Test
    void aSilentConnectionIsRefusedWhenItsOpeningTimeIsUp() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel silent = SocketChannel.open(listener.getLocalAddress())) {
            silent.write(ByteBuffer.wrap("STLK".getBytes(StandardCharsets.US_ASCII)));
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> LinkSecurity.withKey(KEY, true, 128)
                    .accept(listener.accept(), 10, 300, () -> { }));
            assertEquals("it did not open its link within 300 ms", e.getMessage());
            assertTrue(System.nanoTime() - start >= 300_000_000L, "it waited its opening time");
            assertEquals(-1, silent.read(ByteBuffer.allocate(1)), "the refused connection was closed");
        }
    }
}
