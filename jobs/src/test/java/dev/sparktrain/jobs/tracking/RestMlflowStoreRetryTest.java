package dev.sparktrain.jobs.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run creation whose answer is lost (the server made the run, the client timed out) and is then retried, as the
 * tracking queue does, gives one MLflow run, not two: against a real MLflow server, through a proxy that swallows the
 * answer to the first {@code runs/create}.
 */
class RestMlflowStoreRetryTest {

    @Test
    void aRetriedCreateWhoseFirstAnswerWasLostFindsTheRunItMade(@TempDir Path dir) throws Exception {
        try (MlflowServer server = MlflowServer.start(dir.resolve("mlflow"));
             AnswerLosingProxy proxy = new AnswerLosingProxy(URI.create(server.uri()),
                     "POST /api/2.0/mlflow/runs/create")) {
            RestMlflowStore store = new RestMlflowStore(proxy.uri(), Duration.ofSeconds(10), Map.of());
            Map<String, String> tags = Map.of("sparktrain.mode", "sync");

            TrackingException lost = assertThrows(TrackingException.class,
                    () -> store.createRun("retried", "r", System.currentTimeMillis(), tags));
            assertTrue(lost.retryable(), lost.getMessage());
            assertTrue(proxy.swallowed(), "the first create reached the server and its answer was dropped");

            MlflowStore.RunRef run = store.createRun("retried", "r", System.currentTimeMillis(), tags);
            JsonNode runs = server.post("runs/search", "{\"experiment_ids\": [\"" + run.experimentId() + "\"]}")
                    .path("runs");
            assertEquals(1, runs.size(), runs.toString());
            assertEquals(run.runId(), runs.get(0).path("info").path("run_id").asText());

            MlflowStore.RunRef other = new RestMlflowStore(server.uri(), Duration.ofSeconds(10), Map.of())
                    .createRun("retried", "r2", System.currentTimeMillis(), tags);
            assertTrue(!other.runId().equals(run.runId()), "another store's run is a run of its own");
        }
    }

    /**
     * Forwards connections to {@code target}; the first request whose bytes hold {@code request} goes through,
     * but its connection's answers are dropped from then on.
     */
    private static final class AnswerLosingProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final URI target;
        private final byte[] request;
        private final AtomicBoolean swallowed = new AtomicBoolean();

        AnswerLosingProxy(URI target, String request) throws IOException {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.target = target;
            this.request = request.getBytes(StandardCharsets.US_ASCII);
            Thread accepting = new Thread(this::accept, "answer-losing-proxy");
            accepting.setDaemon(true);
            accepting.start();
        }

        String uri() {
            return "http://127.0.0.1:" + listener.getLocalPort();
        }

        boolean swallowed() {
            return swallowed.get();
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(target.getHost(), target.getPort());
                    AtomicBoolean muted = new AtomicBoolean();
                    pipe(client, upstream, bytes -> {
                        if (contains(bytes, request) && swallowed.compareAndSet(false, true)) {
                            muted.set(true);
                        }
                    }, new AtomicBoolean());
                    pipe(upstream, client, bytes -> { }, muted);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static boolean contains(byte[] chunk, byte[] part) {
            return new String(chunk, StandardCharsets.US_ASCII).contains(new String(part, StandardCharsets.US_ASCII));
        }

        private static void pipe(Socket from, Socket to, java.util.function.Consumer<byte[]> inspect,
                                 AtomicBoolean muted) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[65536];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        inspect.accept(java.util.Arrays.copyOf(buffer, n));
                        if (!muted.get()) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException closed) {
                    // either end went away
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "answer-losing-proxy-pipe");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
