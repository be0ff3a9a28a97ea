package dev.sparktrain.ops.params;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between flat float32 native arrays and Java arrays. ND4J's {@code toFloatVector} and
 * {@code createFromArray} copy element by element through an indexer (measured on a million floats: 560 µs out,
 * against 190 µs for one bulk copy, and 30 µs for a bulk copy into an existing array), which adds up when whole
 * parameter vectors cross between the network and Spark every round. Arrays that are not one contiguous float32
 * buffer of their own are first copied into one (reads) or assigned through ND4J (writes).
 */
public final class NativeFloats {

    private NativeFloats() {
    }

    /** The array's values in row-major order, as a new Java array. */
    public static float[] toArray(INDArray a) {
        return toArray(a, null);
    }

    /** The array's values in row-major order, in {@code reuse} when it has their length, else in a new Java array. */
    public static float[] toArray(INDArray a, float[] reuse) {
        if (a.isEmpty()) {
            return new float[0];
        }
        INDArray whole = isWholeBuffer(a) ? a : a.castTo(DataType.FLOAT).dup('c');
        int length = Math.toIntExact(whole.length());
        float[] out = reuse != null && reuse.length == length ? reuse : new float[length];
        whole.data().asNioFloat().get(0, out);
        return out;
    }

    /** Overwrites {@code target} (in place) with {@code values} in row-major order; the lengths must match. */
    public static void copyInto(INDArray target, float[] values) {
        if (target.length() != values.length) {
            throw new IllegalArgumentException("cannot copy " + values.length + " values into an array of "
                    + target.length());
        }
        if (isWholeBuffer(target)) {
            target.data().asNioFloat().put(0, values);
        } else {
            target.assign(Nd4j.createFromArray(values).reshape('c', target.shape()));
        }
    }

    /**
     * {@code values} in {@code buffer} when it is a flat array of that length (kept from an earlier call), else in a
     * new flat array: for callers that hold on to one array per vector instead of allocating one per round.
     */
    public static INDArray refill(INDArray buffer, float[] values) {
        if (buffer == null || buffer.rank() != 1 || buffer.length() != values.length) {
            return copyOf(values);
        }
        copyInto(buffer, values);
        return buffer;
    }

    /** A new flat native array holding a copy of {@code values}. */
    public static INDArray copyOf(float[] values) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, values.length);
        out.data().asNioFloat().put(0, values);
        return out;
    }

    /**
     * True when the array is float32 and its elements are the first {@code length} of its native buffer, in row-major
     * order: a whole buffer, or a view of its leading rows (what {@code ActivationBuffer} serves a smaller batch). Its
     * values can then be read and written through {@code a.data().asNioFloat()} at indices 0 to length − 1.
     */
    public static boolean startsItsBuffer(INDArray a) {
        return a.dataType() == DataType.FLOAT && laidOutFromStart(a);
    }

    /**
     * True when the array's elements, of any data type, are the first {@code length} of its native buffer in row-major
     * order (what {@link #startsItsBuffer} asks of a float32 array).
     */
    public static boolean laidOutFromStart(INDArray a) {
        return a.offset() == 0 && contiguousRowMajor(a);
    }

    /**
     * True when the array's elements, of any data type, lie next to each other in row-major order wherever in its
     * buffer they start (an axis of size 1 may have any stride).
     */
    public static boolean contiguousRowMajor(INDArray a) {
        if (a.isEmpty()) {
            return false;
        }
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) > 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /**
     * True when the array {@linkplain #startsItsBuffer starts its buffer} and fills it: its elements are exactly its
     * native buffer, in row-major order, so the buffer's address and length describe it (BLAS calls take those).
     */
    public static boolean isWholeBuffer(INDArray a) {
        return startsItsBuffer(a) && a.data().length() == a.length();
    }
}
