package dev.sparktrain.driver.exchange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Java serialization of a round task or result with its large float arrays (parameters, gradients, optimizer
 * slots) taken out, so they can travel as raw bytes: one bulk copy each instead of Java's or Kryo's element-by-element
 * encoding, which cost more than the round's compute on the Fashion MLP (docs/performance.md).
 */
final class BulkCodec {

    /** Arrays from this many floats up travel raw; smaller ones stay in the object graph. */
    static final int MIN_BULK_FLOATS = 1024;

    /** An object graph whose large float arrays are the {@code arrays}, in the order the graph refers to them. */
    record Encoded(byte[] graph, List<float[]> arrays) {

        long floatCount() {
            return arrays.stream().mapToLong(a -> a.length).sum();
        }
    }

    /** Stands in the graph for {@code arrays.get(index)}. */
    private record ArrayRef(int index) implements Serializable {
    }

    private BulkCodec() {
    }

    static Encoded encode(Object value) throws IOException {
        List<float[]> arrays = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (ObjectOutputStream out = new Extracting(bytes, arrays)) {
            out.writeObject(value);
        }
        return new Encoded(bytes.toByteArray(), arrays);
    }

    /** The object {@link #encode} was given, its classes loaded through {@code loader}. */
    static Object decode(Encoded encoded, ClassLoader loader) throws IOException {
        try (ObjectInputStream in = new Restoring(new ByteArrayInputStream(encoded.graph()), encoded.arrays(),
                loader)) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot load a class of a received object: " + e.getMessage(), e);
        }
    }

    private static final class Extracting extends ObjectOutputStream {

        private final List<float[]> arrays;

        Extracting(ByteArrayOutputStream out, List<float[]> arrays) throws IOException {
            super(out);
            this.arrays = arrays;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof float[] floats && floats.length >= MIN_BULK_FLOATS) {
                arrays.add(floats);
                return new ArrayRef(arrays.size() - 1);
            }
            return obj;
        }
    }

    private static final class Restoring extends ObjectInputStream {

        private final List<float[]> arrays;
        private final ClassLoader loader;

        Restoring(ByteArrayInputStream in, List<float[]> arrays, ClassLoader loader) throws IOException {
            super(in);
            this.arrays = arrays;
            this.loader = loader;
            enableResolveObject(true);
        }

        @Override
        protected Object resolveObject(Object obj) {
            return obj instanceof ArrayRef ref ? arrays.get(ref.index()) : obj;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
