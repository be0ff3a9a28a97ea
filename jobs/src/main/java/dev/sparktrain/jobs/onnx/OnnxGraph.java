package dev.sparktrain.jobs.onnx;

import com.google.protobuf.ByteString;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.AttributeProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.GraphProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.NodeProto;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX graph under construction: nodes in the order they are added (a sequential network's graph is already
 * topologically sorted), float32 initializers, and value names made unique, so a mapping only says what it
 * computes. Names are readable: a node's output is named after its layer ({@code 2.conv2d}, {@code 2.conv2d.relu}),
 * an initializer after its tensor in {@code layout.json} ({@code 2.conv2d.W}).
 */
public final class OnnxGraph {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    /** A name not used yet: {@code hint}, or {@code hint_2}, {@code hint_3}, ... */
    String fresh(String hint) {
        String name = hint;
        for (int i = 2; !names.add(name); i++) {
            name = hint + "_" + i;
        }
        return name;
    }

    /** Adds a node with one output named after {@code hint} and returns that output's name. */
    public String node(String op, String hint, List<String> inputs, AttributeProto... attributes) {
        return nodeNamed(op, fresh(hint), inputs, attributes);
    }

    /** As {@link #node}, with an output of exactly this name (a graph output's). */
    String nodeNamed(String op, String output, List<String> inputs, AttributeProto... attributes) {
        names.add(output);
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs)
                .addOutput(output);
        for (AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        graph.addNode(node);
        return output;
    }

    /** A float32 initializer of the given shape (row-major values); returns its name. */
    public String floats(String hint, float[] values, long... shape) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalStateException(hint + ": " + values.length + " values for shape "
                    + java.util.Arrays.toString(shape));
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String name = fresh(hint);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float32 scalar initializer (broadcasts against any tensor). */
    public String scalar(String hint, double value) {
        return floats(hint, new float[] {(float) value});
    }

    /** An int64 vector initializer (shapes, axes); returns its name. */
    public String longs(String hint, long... values) {
        String name = fresh(hint);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Reserves a graph input's or output's exact name (they are fixed, not hints). */
    void reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX value name used twice: " + name);
        }
    }

    GraphProto.Builder proto() {
        return graph;
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto real(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                .setF((float) value).build();
    }
}
