package dev.sparktrain.ops.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A convolution layer's oneDNN primitives ({@link OneDnnConvolution}), one set per batch size
 * ({@link PrimitivesByBatch}).
 *
 * <p>oneDNN keeps its own copies of the arrays in its preferred layouts, as large as the batch, so a forward pass
 * larger than the byte budget runs in chunks of samples when nothing will ask for its backward pass (inference); a
 * training batch beyond the budget is not taken ({@link #accepts}), and the layer's own chunked path runs it.
 */
final class ConvPrimitives {

    private final int samplesPerChunk;
    private final PrimitivesByBatch<OneDnnConvolution> byBatch;

    ConvPrimitives(Patches patches, int filters, boolean bias, boolean relu, OneDnnConvolution.Layout layout,
                   long budgetBytes) {
        this.byBatch = new PrimitivesByBatch<>(rows -> OneDnnConvolution.create(patches, filters, rows, bias, relu,
                layout));
        // The blocked layouts pad channels to a multiple of 16.
        long perSample = (long) padded(patches.channels()) * patches.height() * patches.width()
                + (long) padded(filters) * patches.outArea();
        this.samplesPerChunk = Conv2dLayer.chunkSamples(budgetBytes, perSample, DataType.FLOAT, Integer.MAX_VALUE);
    }

    private static int padded(int channels) {
        return (channels + 15) / 16 * 16;
    }

    /** Whether a pass over {@code rows} samples can run here (only float arrays laid out as they are read). */
    boolean accepts(int rows, boolean training, INDArray... arrays) {
        if (training && rows > samplesPerChunk || !OneDnnBuilder.available()) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a != null && !OneDnnBuilder.plain(a)) {
                return false;
            }
        }
        int whole = Math.min(rows, samplesPerChunk);
        return !byBatch.refused(whole) && (rows == whole || !byBatch.refused(rows % whole))
                && primitives(whole) != null && (rows % whole == 0 || primitives(rows % whole) != null);
    }

    /** y = f(conv(x, W) + b) (f ReLU when fused, else identity), in chunks beyond the budget; after {@link #accepts}. */
    void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        int rows = Math.toIntExact(x.size(0));
        if (rows <= samplesPerChunk) {
            primitives(rows).forward(x, w, b, y);
            return;
        }
        for (int first = 0; first < rows; first += samplesPerChunk) {
            int n = Math.min(samplesPerChunk, rows - first);
            primitives(n).forward(x.get(NDArrayIndex.interval(first, first + n)), w, b,
                    y.get(NDArrayIndex.interval(first, first + n)));
        }
    }

    /** The backward pass of the last forward one; see {@link OneDnnConvolution#backward}. */
    void backward(INDArray x, INDArray y, INDArray dy, INDArray dz, INDArray w, INDArray dw, INDArray db,
                  INDArray dx) {
        OneDnnConvolution whole = primitives(Math.toIntExact(x.size(0)));
        if (whole == null) {
            throw new IllegalStateException("conv2d: oneDNN refused the backward pass of a batch of " + x.size(0));
        }
        whole.backward(x, y, dy, dz, w, dw, db, dx);
    }

    private OneDnnConvolution primitives(int rows) {
        return byBatch.get(rows);
    }
}
