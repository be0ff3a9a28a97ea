package dev.sparktrain.ops.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Small arrays read onto the Java heap, for maths that is cheaper there than as a chain of native ops. */
final class HeapValues {

    private HeapValues() {
    }

    /**
     * The values in row-major order, as doubles. A plain C-order array (no offset, no strides, its own buffer) is read
     * straight from its buffer; anything else is first copied into one (one native op).
     */
    static double[] rowMajor(INDArray a) {
        boolean plain = a.ordering() == 'c' && a.offset() == 0 && a.elementWiseStride() == 1
                && a.data().length() == a.length();
        return (plain ? a : a.dup('c')).data().asDouble();
    }
}
