package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundTask;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One end of an opened link ({@link LinkSecurity}) with the exchange's messages on it, as {@link Envelope}s: what it
 * sends is laid out by {@link WireCodec}, what it receives must be of a type the caller expects. A round
 * ({@code TASK}, a {@link ChannelWorker.Round}) travels as its plan, preceded by its task ({@code TASK_CODE}) only when
 * the other end does not hold that task yet; the receiving end keeps the task and gives each plan back with it. The
 * driver's links to its workers and the workers' links to each other are each one of these.
 */
final class MessageLink implements AutoCloseable {

    private final MessageChannel channel;
    /** The task the other end holds, as this end sent it. */
    private RoundTask sentTask;
    /** The task this end received last: the next plans' task. */
    private RoundTask heldTask;

    MessageLink(MessageChannel channel) {
        this.channel = channel;
    }

    /** Sends {@code body} as a message of {@code type}, framed in this link's own buffer. */
    void send(byte type, Object body) throws IOException {
        Object sent = body;
        if (type == MessageChannel.TASK) {
            ChannelWorker.Round round = (ChannelWorker.Round) body;
            if (sentTask != round.task()) {
                channel.send(MessageChannel.TASK_CODE, WireCodec.encode(MessageChannel.TASK_CODE, round.task()));
                sentTask = round.task();
            }
            sent = round.plan();
        }
        channel.send(type, WireCodec.encode(type, sent));
    }

    /**
     * Sends {@code body} as {@link #send} does, through {@code frames}, which lays a message out once for all the
     * links it goes to one after another (a round's task and plan to every worker).
     */
    void send(byte type, Object body, Frames frames) throws IOException {
        Object sent = body;
        if (type == MessageChannel.TASK) {
            ChannelWorker.Round round = (ChannelWorker.Round) body;
            if (sentTask != round.task()) {
                channel.send(frames.frame(MessageChannel.TASK_CODE, round.task()));
                sentTask = round.task();
            }
            sent = round.plan();
        }
        channel.send(frames.frame(type, sent));
    }

    /**
     * The next message, which must be of one of the {@code expected} types; a round's task is kept, never returned,
     * so {@code TASK_CODE} need not be expected where {@code TASK} is.
     */
    Envelope receive(byte... expected) throws IOException {
        byte[] accepted = expected;
        for (byte type : expected) {
            if (type == MessageChannel.TASK) {
                accepted = java.util.Arrays.copyOf(expected, expected.length + 1);
                accepted[expected.length] = MessageChannel.TASK_CODE;
            }
        }
        while (true) {
            MessageChannel.Message message = channel.receive();
            Object body = WireCodec.decode(message, accepted);
            if (message.type() == MessageChannel.TASK_CODE) {
                heldTask = (RoundTask) body;
            } else if (message.type() == MessageChannel.TASK) {
                if (heldTask == null) {
                    throw new IOException("a round arrived before its task");
                }
                return new Envelope(MessageChannel.TASK, new ChannelWorker.Round((RoundPlan) body, heldTask));
            } else {
                return new Envelope(message.type(), body);
            }
        }
    }

    /** The link's channel, for what is below messages (its peer's address, its opening's time limit). */
    MessageChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close();
    }

    /** The last messages laid out, in buffers kept across rounds: one sent to several links is laid out once. */
    static final class Frames {
        private Object framedBody;
        private byte framedType;
        private ByteBuffer frame;
        private RoundTask codedTask;
        private ByteBuffer codeFrame;

        ByteBuffer frame(byte type, Object body) throws IOException {
            if (type == MessageChannel.TASK_CODE) {
                if (codedTask != body) {
                    codeFrame = MessageChannel.frame(type, WireCodec.encode(type, body), codeFrame);
                    codedTask = (RoundTask) body;
                }
                return codeFrame;
            }
            if (frame == null || body != framedBody || type != framedType) {
                frame = MessageChannel.frame(type, WireCodec.encode(type, body), frame);
                framedBody = body;
                framedType = type;
            }
            return frame;
        }

        /** Lets go of the bodies last laid out. */
        void clear() {
            framedBody = null;
            codedTask = null;
        }
    }
}
