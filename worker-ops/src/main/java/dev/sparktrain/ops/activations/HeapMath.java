package dev.sparktrain.ops.activations;

import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Element-wise functions computed on the Java heap in double precision, for formulas whose accuracy ND4J's native
 * transcendental ops lose (its {@code log1p} of a tiny argument is one): the values are read once, mapped with
 * {@link Math}'s correctly rounded functions and written back in the array's own data type.
 */
final class HeapMath {

    private HeapMath() {
    }

    /** A new array of {@code z}'s shape and type holding f(z) element-wise; {@code z} is not modified. */
    static INDArray map(INDArray z, DoubleUnaryOperator f) {
        INDArray c = z.ordering() == 'c' && z.offset() == 0 && z.elementWiseStride() == 1
                && z.data().length() == z.length() ? z : z.dup('c');
        double[] values = c.data().asDouble();
        for (int i = 0; i < values.length; i++) {
            values[i] = f.applyAsDouble(values[i]);
        }
        INDArray out = Nd4j.createFromArray(values).reshape('c', z.shape());
        return z.dataType() == DataType.DOUBLE ? out : out.castTo(z.dataType());
    }
}
