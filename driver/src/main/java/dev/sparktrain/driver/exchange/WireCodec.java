package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.aggregate.TaskStats;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.ps.ParameterSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of the exchange's links, each laid out explicitly as fixed fields and float arrays: a receiver builds
 * only the types it expects, from their fields, and never runs a class a peer names. The arrays (parameters,
 * gradients, optimizer slots) travel raw, one bulk copy each ({@link MessageChannel}). The one message that is not
 * fields is a round's task ({@code TASK_CODE}: a model, optimizer and batch settings, sent once per link and task),
 * which workers decode with {@link TaskCode}'s class allow-list.
 */
final class WireCodec {

    /** A message's fields and its float arrays, in the order the fields refer to them. */
    record Encoded(byte[] fields, List<float[]> arrays) {

        long floatCount() {
            return arrays.stream().mapToLong(a -> a.length).sum();
        }
    }

    private static final Encoded EMPTY = new Encoded(new byte[0], List.of());

    private WireCodec() {
    }

    /**
     * {@code body} as a message of {@code type}: a partition (HELLO), a plan (TASK), a task (TASK_CODE), sums (RESULT),
     * an error's text (FAILED), a carry (CARRY); END and CARRY_BACK carry nothing.
     */
    static Encoded encode(byte type, Object body) throws IOException {
        if (type == MessageChannel.END || type == MessageChannel.CARRY_BACK) {
            return EMPTY;
        }
        if (type == MessageChannel.FAILED) {
            return new Encoded(((String) body).getBytes(StandardCharsets.UTF_8), List.of());
        }
        if (type == MessageChannel.TASK_CODE) {
            return new Encoded(TaskCode.encode((RoundTask) body), List.of());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        List<float[]> arrays = new ArrayList<>();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (type) {
                case MessageChannel.HELLO -> out.writeInt((Integer) body);
                case MessageChannel.TASK -> writePlan(out, arrays, (RoundPlan) body);
                case MessageChannel.RESULT -> writeSums(out, arrays, (RoundSums) body);
                case MessageChannel.CARRY -> writeInner(out, arrays, ((ChannelWorker.CarryIn) body).state());
                default -> throw new IllegalArgumentException("no message type " + type);
            }
        }
        return new Encoded(bytes.toByteArray(), arrays);
    }

    /**
     * The body of {@code message}, which must be of one of the {@code expected} types; a message of another type, or
     * whose fields and arrays do not make one of its type, is refused.
     */
    static Object decode(MessageChannel.Message message, byte... expected) throws IOException {
        byte type = message.type();
        boolean wanted = false;
        for (byte e : expected) {
            wanted |= e == type;
        }
        if (!wanted) {
            throw new IOException("unexpected message type " + type + ", expected one of "
                    + java.util.Arrays.toString(expected));
        }
        Encoded body = message.body();
        if (type == MessageChannel.FAILED) {
            requireArrays(type, body, 0);
            return new String(body.fields(), StandardCharsets.UTF_8);
        }
        if (type == MessageChannel.TASK_CODE) {
            requireArrays(type, body, 0);
            return TaskCode.decode(body.fields());
        }
        Fields in = new Fields(type, body);
        Object out;
        try {
            out = switch (type) {
                case MessageChannel.END, MessageChannel.CARRY_BACK -> "";
                case MessageChannel.HELLO -> in.data.readInt();
                case MessageChannel.TASK -> readPlan(in);
                case MessageChannel.RESULT -> readSums(in);
                case MessageChannel.CARRY -> new ChannelWorker.CarryIn(readInner(in));
                default -> throw new IOException("unexpected message type " + type);
            };
        } catch (EOFException e) {
            throw in.malformed("its fields end early");
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
        in.requireEnd();
        return out;
    }

    private static void writePlan(DataOutputStream out, List<float[]> arrays, RoundPlan plan) throws IOException {
        out.writeInt(plan.epoch());
        out.writeInt(plan.round());
        out.writeLong(plan.params().version());
        arrays.add(plan.params().params());
        writeInner(out, arrays, plan.sharedInner());
    }

    private static RoundPlan readPlan(Fields in) throws IOException {
        int epoch = in.data.readInt();
        int round = in.data.readInt();
        long version = in.data.readLong();
        float[] params = in.array();
        return new RoundPlan(epoch, round, new ParameterSnapshot(version, params), readInner(in));
    }

    /** An inner state or null: a flag, then its step and slot names; its slots as arrays. */
    private static void writeInner(DataOutputStream out, List<float[]> arrays, InnerState state) throws IOException {
        out.writeBoolean(state != null);
        if (state != null) {
            out.writeLong(state.step());
            writeNamed(out, arrays, state.slots());
        }
    }

    private static InnerState readInner(Fields in) throws IOException {
        return in.data.readBoolean() ? new InnerState(in.data.readLong(), readNamed(in)) : null;
    }

    private static void writeSums(DataOutputStream out, List<float[]> arrays, RoundSums sums) throws IOException {
        RoundSums.Parts parts = sums.parts();
        out.writeLong(parts.count());
        out.writeDouble(parts.weightedLoss());
        out.writeLong(parts.maxStep());
        out.writeInt(parts.firstNonFinitePartition());
        for (long counter : parts.taskStats().counters()) {
            out.writeLong(counter);
        }
        writeNamed(out, arrays, parts.sums());
        // One worker's 16-bit vectors travel as their 16 bits (the reason to round them), in the fields.
        out.writeInt(parts.rounded().size());
        if (!parts.rounded().isEmpty()) {
            out.writeByte(parts.roundedPrecision().ordinal());
        }
        for (Map.Entry<String, short[]> e : parts.rounded().entrySet()) {
            out.writeUTF(e.getKey());
            short[] bits = e.getValue();
            out.writeInt(bits.length);
            ByteBuffer bytes = ByteBuffer.allocate(2 * bits.length);
            bytes.asShortBuffer().put(bits);
            out.write(bytes.array());
        }
    }

    private static RoundSums readSums(Fields in) throws IOException {
        long count = in.data.readLong();
        double weightedLoss = in.data.readDouble();
        long maxStep = in.data.readLong();
        int firstNonFinite = in.data.readInt();
        long[] counters = new long[5];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = in.data.readLong();
        }
        Map<String, float[]> sums = readNamed(in);
        int roundedCount = in.data.readInt();
        if (roundedCount < 0 || roundedCount > 64) {
            throw in.malformed(roundedCount + " 16-bit vectors");
        }
        WirePrecision precision = null;
        Map<String, short[]> rounded = new LinkedHashMap<>();
        if (roundedCount > 0) {
            int ordinal = in.data.readUnsignedByte();
            if (ordinal >= WirePrecision.values().length || !WirePrecision.values()[ordinal].halves()) {
                throw in.malformed("16-bit precision " + ordinal);
            }
            precision = WirePrecision.values()[ordinal];
        }
        for (int i = 0; i < roundedCount; i++) {
            String name = in.data.readUTF();
            int length = in.data.readInt();
            if (length < 0 || 2L * length > in.data.available()) {
                throw in.malformed("a 16-bit vector of " + length + " values with " + in.data.available()
                        + " bytes left");
            }
            byte[] bytes = new byte[2 * length];
            in.data.readFully(bytes);
            short[] bits = new short[length];
            ByteBuffer.wrap(bytes).asShortBuffer().get(bits);
            if (rounded.put(name, bits) != null || sums.containsKey(name)) {
                throw in.malformed("the name '" + name + "' twice");
            }
        }
        return RoundSums.of(new RoundSums.Parts(sums, rounded, precision, weightedLoss, count, maxStep,
                firstNonFinite, TaskStats.of(counters)));
    }

    private static void writeNamed(DataOutputStream out, List<float[]> arrays, Map<String, float[]> named)
            throws IOException {
        out.writeInt(named.size());
        for (Map.Entry<String, float[]> e : named.entrySet()) {
            out.writeUTF(e.getKey());
            arrays.add(e.getValue());
        }
    }

    private static Map<String, float[]> readNamed(Fields in) throws IOException {
        int size = in.data.readInt();
        if (size < 0 || size > in.arraysLeft()) {
            throw in.malformed(size + " named arrays, with " + in.arraysLeft() + " arrays left");
        }
        Map<String, float[]> named = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String name = in.data.readUTF();
            if (named.put(name, in.array()) != null) {
                throw in.malformed("the name '" + name + "' twice");
            }
        }
        return named;
    }

    private static void requireArrays(byte type, Encoded body, int count) throws IOException {
        if (body.arrays().size() != count) {
            throw new IOException("malformed message of type " + type + ": " + body.arrays().size()
                    + " arrays, expected " + count);
        }
    }

    /** A received message's fields and arrays, read in order; all of both must be used. */
    private static final class Fields {
        private final byte type;
        private final DataInputStream data;
        private final List<float[]> arrays;
        private int next;

        Fields(byte type, Encoded body) {
            this.type = type;
            this.data = new DataInputStream(new ByteArrayInputStream(body.fields()));
            this.arrays = body.arrays();
        }

        float[] array() throws IOException {
            if (next == arrays.size()) {
                throw malformed("more arrays than the " + arrays.size() + " it holds");
            }
            return arrays.get(next++);
        }

        int arraysLeft() {
            return arrays.size() - next;
        }

        void requireEnd() throws IOException {
            if (data.available() > 0 || next < arrays.size()) {
                throw malformed(data.available() + " bytes of fields and " + arraysLeft() + " arrays left over");
            }
        }

        IOException malformed(String what) {
            return new IOException("malformed message of type " + type + ": " + what);
        }
    }
}
