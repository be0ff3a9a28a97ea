package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.SyncRoundTask;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A round's task crosses a link once: later rounds of the same task carry only their plans, and the receiving end
 * gives each plan back with the task it holds; a new task crosses again; a plan before any task is refused.
 */
class MessageLinkTest {

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(4), List.of(new Dense(3, new Identity())),
            new SoftmaxCrossEntropy());
    private static final LinkSecurity SECURITY = LinkSecurity.withKey("message link test key, 32 bytes"
            .getBytes(StandardCharsets.US_ASCII), true, 128);

    private static RoundPlan plan(int round) {
        return new RoundPlan(1, round, new ParameterSnapshot(round, new float[] {round, -round, 0.5f}), null);
    }

    @Test
    void aTaskCrossesOncePerLinkAndEachPlanArrivesWithIt() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<MessageLink> accepting = CompletableFuture.supplyAsync(() -> {
                try {
                    return new MessageLink(SECURITY.accept(listener.accept(), 20, 5000, () -> { }));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (MessageLink sender = new MessageLink(SECURITY.connect((InetSocketAddress) listener.getLocalAddress()));
                 MessageLink receiver = accepting.get()) {
                RoundTask first = new SyncRoundTask(SPEC, 1, 8, false);
                RoundTask second = new SyncRoundTask(SPEC, 2, 8, false);
                MessageLink.Frames frames = new MessageLink.Frames();
                sender.send(MessageChannel.TASK, new ChannelWorker.Round(plan(0), first));
                sender.send(MessageChannel.TASK, new ChannelWorker.Round(plan(1), first), frames);
                sender.send(MessageChannel.TASK, new ChannelWorker.Round(plan(2), second), frames);
                sender.send(MessageChannel.END, "");

                ChannelWorker.Round r0 = (ChannelWorker.Round) receiver.receive(MessageChannel.TASK).body();
                ChannelWorker.Round r1 = (ChannelWorker.Round) receiver.receive(MessageChannel.TASK).body();
                ChannelWorker.Round r2 = (ChannelWorker.Round) receiver.receive(MessageChannel.TASK).body();
                assertSame(r0.task(), r1.task(), "the second round of the same task came without it");
                assertNotSame(r1.task(), r2.task(), "a new task crossed");
                assertArrayEquals(plan(1).params().params(), r1.plan().params().params());
                assertEquals(2, r2.plan().round());
                IOException unexpected = assertThrows(IOException.class, () -> receiver.receive(MessageChannel.TASK));
                assertEquals("unexpected message type 5, expected one of [2, 8]", unexpected.getMessage());
            }
        }
    }

    @Test
    void aPlanBeforeAnyTaskIsRefused() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             MessageChannel sender = MessageChannel.blocking(SocketChannel.open(listener.getLocalAddress()));
             MessageLink receiver = new MessageLink(MessageChannel.polling(listener.accept(), 20, () -> { }))) {
            sender.send(MessageChannel.TASK, WireCodec.encode(MessageChannel.TASK, plan(0)));
            IOException e = assertThrows(IOException.class, () -> receiver.receive(MessageChannel.TASK));
            assertEquals("a round arrived before its task", e.getMessage());
        }
    }
}
