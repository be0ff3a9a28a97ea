package dev.sparktrain.driver.exchange;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientBootstrap;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.OneForOneStreamManager;
import org.apache.spark.network.server.RpcHandler;
import org.apache.spark.network.server.StreamManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.util.MapConfigProvider;
import org.apache.spark.network.util.TransportConf;

/**
 * What a round's exchange costs on one link over 127.0.0.1, per way of securing it: the driver sends a vector of
 * {@code floats} (1 MiB by default, the Fashion MLP's size) and the worker sends a vector of the same size back, as
 * a sync round does. Each variant runs {@code rounds} rounds after a warm-up; the variants take turns, {@code repeats}
 * times, so they share the machine's load; the medians of the per-repeat medians are printed as {@code LINK} lines.
 * Variants: this project's channel plain (authenticated by the handshake, not encrypted) and encrypted (AES-GCM,
 * 128 and 256-bit keys); Spark's own transport layer ({@code TransportContext}, its RPC round trip) without security,
 * with Spark's authentication and encryption in its default cipher (AES-CTR), and with AES-GCM.
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -pl driver -Dmdep.outputFile=target/cp.txt
 * java $OPENS -cp "$(cat driver/target/cp.txt):driver/target/classes:driver/target/test-classes" \
 *   dev.sparktrain.driver.exchange.LinkBenchmark [floats] [rounds] [repeats]
 * </pre>
 * with {@code $OPENS} the pom's {@code spark.jvm.opens} (Spark's transport runs on Netty).
 */
public final class LinkBenchmark {

    private static final byte[] KEY = "link benchmark's key, 32 bytes..".getBytes(StandardCharsets.US_ASCII);

    private LinkBenchmark() {
    }

    /** One way of exchanging a round's vectors: runs {@code rounds} rounds, returns each one's nanoseconds. */
    interface Variant {
        long[] run(float[] vector, int rounds) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int floats = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 18;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("channel_plain", (v, n) -> channel(LinkSecurity.withKey(KEY, false, 128), v, n));
        variants.put("channel_aes128gcm", (v, n) -> channel(LinkSecurity.withKey(KEY, true, 128), v, n));
        variants.put("channel_aes256gcm", (v, n) -> channel(LinkSecurity.withKey(KEY, true, 256), v, n));
        variants.put("spark_plain", (v, n) -> spark(Map.of(), false, v, n));
        variants.put("spark_auth_aesctr", (v, n) -> spark(Map.of("spark.network.crypto.enabled", "true"), true, v, n));
        variants.put("spark_auth_aesgcm", (v, n) -> spark(Map.of("spark.network.crypto.enabled", "true",
                "spark.network.crypto.cipher", "AES/GCM/NoPadding"), true, v, n));
        float[] vector = new float[floats];
        for (int i = 0; i < floats; i++) {
            vector[i] = (float) Math.sin(i);
        }
        Map<String, List<Double>> medians = new LinkedHashMap<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (Map.Entry<String, Variant> variant : variants.entrySet()) {
                long[] times = variant.getValue().run(vector, rounds + rounds / 5);
                long[] measured = Arrays.copyOfRange(times, rounds / 5, times.length);
                Arrays.sort(measured);
                double ms = measured[measured.length / 2] / 1e6;
                medians.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(ms);
                System.out.printf("LINK_RUN repeat=%d variant=%s round_ms=%.3f p90_ms=%.3f%n", repeat + 1,
                        variant.getKey(), ms, measured[(int) (measured.length * 0.9)] / 1e6);
            }
        }
        double mb = 2.0 * 4 * floats / 1e6;
        double plain = median(medians.get("channel_plain"));
        for (Map.Entry<String, List<Double>> e : medians.entrySet()) {
            double ms = median(e.getValue());
            System.out.printf("LINK variant=%s floats=%d round_ms=%.3f mb_per_s=%.0f vs_channel_plain=%.2f runs=%s%n",
                    e.getKey(), floats, ms, mb / (ms / 1e3), ms / plain, e.getValue());
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Rounds over this project's channel: the driver's polling end, a worker's blocking end on its own thread. */
    private static long[] channel(LinkSecurity security, float[] vector, int rounds) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> MessageChannelTest.run(() -> {
                try (MessageChannel end = MessageChannel.blocking(SocketChannel.open(listener.getLocalAddress()))) {
                    security.connect(end);
                    for (int r = 0; r < rounds; r++) {
                        MessageChannel.Message task = end.receive();
                        end.send(MessageChannel.RESULT, new WireCodec.Encoded(new byte[0], task.body().arrays()));
                    }
                }
            }));
            long[] times = new long[rounds];
            try (MessageChannel driver = MessageChannel.polling(listener.accept(), 200, () -> { })) {
                security.accept(driver);
                WireCodec.Encoded task = new WireCodec.Encoded(new byte[0], List.of(vector));
                ByteBuffer frame = null;
                for (int r = 0; r < rounds; r++) {
                    long start = System.nanoTime();
                    frame = MessageChannel.frame(MessageChannel.TASK, task, frame);
                    driver.send(frame);
                    driver.receive();
                    times[r] = System.nanoTime() - start;
                }
            }
            worker.get();
            return times;
        }
    }

    /** Rounds as RPCs over Spark's transport layer, with its authentication and encryption when {@code auth}. */
    private static long[] spark(Map<String, String> settings, boolean auth, float[] vector, int rounds)
            throws Exception {
        TransportConf conf = new TransportConf("sparktrain", new MapConfigProvider(settings));
        SecretKeyHolder keys = new SecretKeyHolder() {
            @Override
            public String getSaslUser(String appId) {
                return "sparkSaslUser";
            }

            @Override
            public String getSecretKey(String appId) {
                return new String(KEY, StandardCharsets.US_ASCII);
            }
        };
        RpcHandler echo = new RpcHandler() {
            private final OneForOneStreamManager streams = new OneForOneStreamManager();

            @Override
            public void receive(TransportClient client, ByteBuffer message, RpcResponseCallback callback) {
                // A worker reads the vector into its own array and answers with its own.
                float[] received = new float[message.remaining() / 4];
                message.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(received);
                callback.onSuccess(toBytes(received));
            }

            @Override
            public StreamManager getStreamManager() {
                return streams;
            }
        };
        List<TransportServerBootstrap> serverBootstraps = auth ? List.of(new AuthServerBootstrap(conf, keys))
                : List.of();
        List<TransportClientBootstrap> clientBootstraps = auth ? List.of(new AuthClientBootstrap(conf, "bench", keys))
                : List.of();
        long[] times = new long[rounds];
        try (TransportContext context = new TransportContext(conf, echo);
             TransportServer server = context.createServer("127.0.0.1", 0, serverBootstraps);
             TransportClientFactory factory = context.createClientFactory(clientBootstraps)) {
            TransportClient client = factory.createClient("127.0.0.1", server.getPort());
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                ByteBuffer reply = client.sendRpcSync(toBytes(vector), 60_000);
                float[] back = new float[reply.remaining() / 4];
                reply.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(back);
                times[r] = System.nanoTime() - start;
            }
            client.close();
        }
        return times;
    }

    private static ByteBuffer toBytes(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes;
    }
}
