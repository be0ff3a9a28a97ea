package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.modes.Carry;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.LocalStepsTask;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.driver.modes.RoundTask;
import dev.sparktrain.driver.modes.SyncRoundTask;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.BatchNorm;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.optim.Adam;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every message of the links survives its explicit layout bit for bit; a message of a type the receiver does not
 * expect, or whose parts do not make one of its type, is refused; a task naming a class outside the allow-list is
 * refused with that class's name.
 */
class WireCodecTest {

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(5), List.of(new Dense(6, new Relu()),
            new BatchNorm(0.9, 1e-5), new Dense(3, new Identity())), new SoftmaxCrossEntropy());

    private static Object roundTrip(byte type, Object body) throws IOException {
        return WireCodec.decode(new MessageChannel.Message(type, WireCodec.encode(type, body)), type);
    }

    private static InnerState inner() {
        Map<String, float[]> slots = new LinkedHashMap<>();
        slots.put("m", MessageChannelTest.ramp(40, -1.5f));
        slots.put("v", new float[] {Float.NaN, -0f, Float.MIN_VALUE});
        return new InnerState(17, slots);
    }

    @Test
    void plansCarriesHellosAndErrorsArriveBitwiseEqual() throws IOException {
        float[] params = SPEC.initialParameters(3, DataType.FLOAT).toFloatVector();
        RoundPlan plan = (RoundPlan) roundTrip(MessageChannel.TASK, new RoundPlan(4, 9,
                new ParameterSnapshot(123, params), inner()));
        assertEquals(4, plan.epoch());
        assertEquals(9, plan.round());
        assertEquals(123, plan.params().version());
        assertArrayEquals(params, plan.params().params());
        assertEquals(17, plan.sharedInner().step());
        assertEquals(List.of("m", "v"), new ArrayList<>(plan.sharedInner().slots().keySet()));
        assertArrayEquals(inner().slots().get("v"), plan.sharedInner().slots().get("v"));
        assertNull(((RoundPlan) roundTrip(MessageChannel.TASK, new RoundPlan(1, 0, new ParameterSnapshot(0, params),
                null))).sharedInner());

        ChannelWorker.CarryIn carry = (ChannelWorker.CarryIn) roundTrip(MessageChannel.CARRY,
                new ChannelWorker.CarryIn(inner()));
        assertArrayEquals(inner().slots().get("m"), carry.state().slots().get("m"));
        assertNull(((ChannelWorker.CarryIn) roundTrip(MessageChannel.CARRY, new ChannelWorker.CarryIn(null))).state());
        assertEquals(3, roundTrip(MessageChannel.HELLO, 3));
        assertEquals("java.lang.IllegalStateException: ü", roundTrip(MessageChannel.FAILED,
                "java.lang.IllegalStateException: ü"));
        assertEquals("", roundTrip(MessageChannel.END, ""));
    }

    @Test
    void aWorkersResultArrivesAsTheSameSums() throws IOException {
        float[] params = SPEC.initialParameters(3, DataType.FLOAT).toFloatVector();
        RoundPlan plan = new RoundPlan(1, 0, new ParameterSnapshot(0, params), null);
        RoundSums sent = new SyncRoundTask(SPEC, 5, 8, false).run(plan, 1, TestBlocks.random(16, 5, 3, 1, 2),
                Carry.NONE).result();
        long[] stats = sent.taskStats().counters();
        Map<String, float[]> vectors = new LinkedHashMap<>();
        sent.parts().sums().forEach((name, v) -> vectors.put(name, v.clone()));
        RoundSums received = (RoundSums) roundTrip(MessageChannel.RESULT, sent);
        assertEquals(sent.count(), received.count());
        assertEquals(sent.maxStep(), received.maxStep());
        assertEquals(-1, received.firstNonFinitePartition());
        assertArrayEquals(stats, received.taskStats().counters());
        assertEquals(new ArrayList<>(vectors.keySet()), new ArrayList<>(received.names()));
        assertEquals(Double.doubleToRawLongBits(sent.meanLoss()), Double.doubleToRawLongBits(received.meanLoss()));
        vectors.forEach((name, v) -> assertArrayEquals(v, received.parts().sums().get(name)));

        RoundSums nonFinite = (RoundSums) roundTrip(MessageChannel.RESULT, RoundSums.empty().markNonFinite(1));
        assertEquals(1, nonFinite.firstNonFinitePartition());
        assertEquals(0, nonFinite.count());
    }

    @Test
    void aWorkersSixteenBitPseudoGradientTravelsInSixteenBitsAndArrivesTheSame() throws IOException {
        short[] bits = new short[1000];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = WirePrecision.BF16.encode((i - 500) * 0.37f);
        }
        RoundSums sent = RoundSums.ofRounded(RoundSums.PSEUDO_GRADIENT, bits, WirePrecision.BF16,
                Map.of(), 0.5, 12, 3);
        WireCodec.Encoded encoded = WireCodec.encode(MessageChannel.RESULT, sent);
        assertTrue(encoded.arrays().isEmpty() && encoded.fields().length < 2 * bits.length + 200,
                "2 bytes a value: " + encoded.fields().length + " bytes of fields, " + encoded.arrays().size()
                        + " arrays");
        RoundSums received = (RoundSums) WireCodec.decode(new MessageChannel.Message(MessageChannel.RESULT, encoded),
                MessageChannel.RESULT);
        assertEquals(12, received.count());
        float[] expected = sent.mean(RoundSums.PSEUDO_GRADIENT);
        float[] actual = received.mean(RoundSums.PSEUDO_GRADIENT);
        assertEquals(bits.length, actual.length);
        for (int i = 0; i < bits.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "value " + i);
            assertEquals(WirePrecision.BF16.decode(bits[i]), actual[i], "value " + i);
        }
    }

    @Test
    void aMessageOfATypeTheReceiverDoesNotExpectIsRefused() throws IOException {
        WireCodec.Encoded sums = WireCodec.encode(MessageChannel.RESULT, RoundSums.empty());
        IOException e = assertThrows(IOException.class, () -> WireCodec.decode(
                new MessageChannel.Message(MessageChannel.RESULT, sums), MessageChannel.HELLO));
        assertEquals("unexpected message type 3, expected one of [1]", e.getMessage());
        e = assertThrows(IOException.class, () -> WireCodec.decode(new MessageChannel.Message((byte) 99, sums),
                MessageChannel.RESULT, MessageChannel.CARRY, MessageChannel.FAILED));
        assertEquals("unexpected message type 99, expected one of [3, 6, 4]", e.getMessage());
    }

    @Test
    void aMessageWhosePartsDoNotMakeItsTypeIsRefused() throws IOException {
        WireCodec.Encoded plan = WireCodec.encode(MessageChannel.TASK, new RoundPlan(1, 0,
                new ParameterSnapshot(0, new float[8]), inner()));
        IOException missingArray = assertThrows(IOException.class, () -> WireCodec.decode(new MessageChannel.Message(
                MessageChannel.TASK, new WireCodec.Encoded(plan.fields(), plan.arrays().subList(0, 2))),
                MessageChannel.TASK));
        assertEquals("malformed message of type 2: 2 named arrays, with 1 arrays left", missingArray.getMessage());
        byte[] cut = java.util.Arrays.copyOf(plan.fields(), 10);
        IOException shortFields = assertThrows(IOException.class, () -> WireCodec.decode(new MessageChannel.Message(
                MessageChannel.TASK, new WireCodec.Encoded(cut, plan.arrays())), MessageChannel.TASK));
        assertEquals("malformed message of type 2: its fields end early", shortFields.getMessage());
        List<float[]> extra = new ArrayList<>(plan.arrays());
        extra.add(new float[1]);
        IOException leftOver = assertThrows(IOException.class, () -> WireCodec.decode(new MessageChannel.Message(
                MessageChannel.TASK, new WireCodec.Encoded(plan.fields(), extra)), MessageChannel.TASK));
        assertEquals("malformed message of type 2: 0 bytes of fields and 1 arrays left over", leftOver.getMessage());

        WireCodec.Encoded sums = WireCodec.encode(MessageChannel.RESULT, RoundSums.empty());
        byte[] negative = sums.fields().clone();
        negative[0] = (byte) 0x80;
        IOException badCount = assertThrows(IOException.class, () -> WireCodec.decode(new MessageChannel.Message(
                MessageChannel.RESULT, new WireCodec.Encoded(negative, List.of())), MessageChannel.RESULT));
        assertEquals("malformed message of type 3: sums of -9223372036854775808 samples cannot hold vectors []",
                badCount.getMessage());
    }

    @Test
    void theRoundTasksOfEveryModeDecodeThroughTheAllowList() throws IOException {
        RoundTask sync = new SyncRoundTask(SPEC, 5, 8, true);
        RoundTask local = new LocalStepsTask(SPEC, Adam.defaults(0.02), InnerStatePolicy.KEEP, 5, 3, 8, false,
                WirePrecision.BF16);
        for (RoundTask task : List.of(sync, local)) {
            assertInstanceOf(task.getClass(), roundTrip(MessageChannel.TASK_CODE, task));
        }
    }

    @Test
    void aLibraryUsersOwnActivationTravelsInItsTask() throws IOException {
        NetworkSpec own = new NetworkSpec(new Shape(5), List.of(new Dense(6, new org.example.LeakyRelu(0.1)),
                new Dense(3, new Identity())), new SoftmaxCrossEntropy());
        assertInstanceOf(SyncRoundTask.class, roundTrip(MessageChannel.TASK_CODE, new SyncRoundTask(own, 5, 8,
                false)));
    }

    /** A task that would carry a class outside the allow-list to the worker. */
    record SmugglingTask(Object payload) implements RoundTask {
        @Override
        public dev.sparktrain.driver.modes.TaskOutput run(RoundPlan plan, int partition,
                                                          dev.sparktrain.driver.data.DataBlock rows, Carry carry) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aTaskHoldingAClassOutsideTheAllowListIsRefusedByName() throws IOException {
        RoundTask smuggling = new SmugglingTask(new java.util.Date(0));
        IOException e = assertThrows(IOException.class, () -> roundTrip(MessageChannel.TASK_CODE, smuggling));
        assertEquals("a task holding class java.util.Date was refused: a round's task may hold only the project's "
                + "classes, classes implementing its types, and Java's values", e.getMessage());

        IOException proxy = assertThrows(IOException.class, () -> roundTrip(MessageChannel.TASK_CODE,
                new SmuggleProxy()));
        assertEquals(true, proxy.getMessage().startsWith("a task holding class "), proxy.getMessage());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject("not a task");
        }
        IOException notATask = assertThrows(IOException.class, () -> WireCodec.decode(new MessageChannel.Message(
                MessageChannel.TASK_CODE, new WireCodec.Encoded(bytes.toByteArray(), List.of())),
                MessageChannel.TASK_CODE));
        assertEquals("expected a round task, got a java.lang.String", notATask.getMessage());
    }

    /** A task holding a dynamic proxy: the classic carrier of deserialization gadgets. */
    private static final class SmuggleProxy implements RoundTask {
        private final Serializable proxy = (Serializable) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Serializable.class, Runnable.class},
                new Handler());

        @Override
        public dev.sparktrain.driver.modes.TaskOutput run(RoundPlan plan, int partition,
                                                          dev.sparktrain.driver.data.DataBlock rows, Carry carry) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class Handler implements java.lang.reflect.InvocationHandler, Serializable {
        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
            return null;
        }
    }
}
