package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.modes.RoundTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Set;

/**
 * A round's task (model description, optimizer, seeds, batch settings) as Java serialization, which a worker decodes
 * through an allow-list: the project's own classes and a library user's classes of its kinds (their own layer,
 * activation, loss or optimizer), Java's value types and collections, and arrays of those and of primitives, within
 * bounds of depth, references and size. A graph naming any other class (the gadgets of
 * deserialization attacks live in libraries and the JDK's internals) is refused before any object of that class is
 * made (classes are resolved without being initialized). Only a worker decodes one, and only from a link whose peer
 * has proved it holds the job's key.
 */
final class TaskCode {

    private static final String OWN_PACKAGE = "dev.sparktrain.";
    private static final Set<String> JAVA_VALUES = Set.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
            "java.lang.Enum", "java.lang.Record", "java.lang.Object",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.EnumMap", "java.util.Arrays$ArrayList", "java.util.CollSer",
            "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
            "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
            "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableMap",
            "java.util.Collections$UnmodifiableSet", "java.util.Collections$EmptyList",
            "java.util.Collections$EmptyMap", "java.util.Collections$EmptySet",
            "java.util.Collections$SingletonList", "java.util.Collections$SingletonMap",
            "java.util.Collections$SingletonSet");
    private static final int MAX_DEPTH = 64;
    private static final long MAX_REFERENCES = 1 << 20;
    private static final long MAX_BYTES = 1L << 28;

    private TaskCode() {
    }

    static byte[] encode(RoundTask task) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(task);
        }
        return bytes.toByteArray();
    }

    /** The task in {@code bytes}; refuses a graph outside the allow-list, or one that is not a round task. */
    static RoundTask decode(byte[] bytes) throws IOException {
        Filter filter = new Filter();
        Object task;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            /** The job's classes come from the task's loader (the application's jar on an executor). */
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            in.setObjectInputFilter(filter);
            task = in.readObject();
        } catch (InvalidClassException e) {
            throw new IOException(filter.refused != null ? "a task holding " + filter.refused
                    + " was refused: a round's task may hold only the project's classes, classes implementing its "
                    + "types, and Java's values"
                    : "a task could not be decoded: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new IOException("a task names a class this worker cannot load: " + e.getMessage(), e);
        }
        if (!(task instanceof RoundTask roundTask)) {
            throw new IOException("expected a round task, got a " + task.getClass().getName());
        }
        return roundTask;
    }

    /**
     * Whether {@code type} is one of the project's classes, or a library user's class of one of its kinds (a layer,
     * activation, loss or optimizer of their own implements the project's interface; a gadget does not).
     */
    private static boolean isOwnKind(Class<?> type) {
        if (type.getName().startsWith(OWN_PACKAGE)) {
            return true;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.getName().startsWith(OWN_PACKAGE)) {
                return true;
            }
            for (Class<?> implemented : c.getInterfaces()) {
                if (isOwnKind(implemented)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Allows what {@link TaskCode} lists and remembers the first class it refused. */
    private static final class Filter implements ObjectInputFilter {
        private String refused;

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.streamBytes() > MAX_BYTES) {
                refused = "a graph deeper, larger or with more references than allowed";
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return Status.ALLOWED;
            }
            Class<?> element = type;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.isPrimitive() || JAVA_VALUES.contains(element.getName()) || isOwnKind(element)) {
                return Status.ALLOWED;
            }
            refused = "class " + type.getName();
            return Status.REJECTED;
        }
    }
}
