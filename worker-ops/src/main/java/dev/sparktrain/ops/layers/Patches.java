package dev.sparktrain.ops.layers;

/**
 * A sliding window placed over a C×H×W sample: the output size, the padding before the first row and column, and
 * the im2col / col2im rearrangements that turn a convolution over a batch into one matrix product.
 *
 * <p>The column matrix is {@code [C·kH·kW, N·oH·oW]}, row-major: row (c, i, j) holds, for every sample n and output
 * position (y, x), the input value under kernel tap (i, j) of channel c, or 0 where the tap falls on padding. Its
 * columns run sample by sample, so the product W·cols ({@code [out, C·kH·kW]·[C·kH·kW, N·oH·oW]}) holds each output
 * channel's maps of the whole batch in one row, which {@link Conv2dLayer} turns into NCHW while adding the bias.
 */
record Patches(int channels, int height, int width, Window window, int outHeight, int outWidth, int padTop,
               int padLeft) {

    static Patches of(Window window, Shape input) {
        long[] out = window.outputSize(input);
        int h = (int) input.dim(1);
        int w = (int) input.dim(2);
        int oh = (int) out[0];
        int ow = (int) out[1];
        int top;
        int left;
        if (window.padding().mode() == Padding.Mode.SAME) {
            // As TensorFlow: the total padding split evenly, the odd one at the bottom / right.
            top = Math.max(0, (oh - 1) * window.stride().h() + effective(window.kernel().h(), window.dilation().h())
                    - h) / 2;
            left = Math.max(0, (ow - 1) * window.stride().w() + effective(window.kernel().w(), window.dilation().w())
                    - w) / 2;
        } else {
            top = window.padding().h();
            left = window.padding().w();
        }
        return new Patches((int) input.dim(0), h, w, window, oh, ow, top, left);
    }

    private static int effective(int k, int d) {
        return d * (k - 1) + 1;
    }

    /** Output positions per sample and channel, oH·oW. */
    int outArea() {
        return outHeight * outWidth;
    }

    /** Rows of the column matrix, C·kH·kW. */
    int patchLength() {
        return channels * window.kernel().h() * window.kernel().w();
    }

    /**
     * Writes the column matrix of the {@code n} samples from sample {@code first} of a batch ({@code x}, NCHW) into
     * {@code cols}, whose columns then run over those samples only.
     */
    void im2col(HeapValues x, int first, int n, HeapValues cols) {
        walk(x, first, n, cols, false);
    }

    /**
     * The reverse: adds every entry of the column matrix of samples {@code first} .. first + n − 1 into the input
     * position it came from; {@code dx} must start at 0.
     */
    void col2imAdd(HeapValues cols, int first, int n, HeapValues dx) {
        walk(dx, first, n, cols, true);
    }

    /** The column matrix's values per sample, C·kH·kW·oH·oW. */
    long columnValuesPerSample() {
        return (long) patchLength() * outArea();
    }

    private void walk(HeapValues image, int first, int n, HeapValues cols, boolean backward) {
        int kh = window.kernel().h();
        int kw = window.kernel().w();
        int sh = window.stride().h();
        int sw = window.stride().w();
        int dh = window.dilation().h();
        int dw = window.dilation().w();
        int area = outArea();
        long columns = (long) n * area;
        if (columns * patchLength() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the im2col matrix of " + n + " samples (" + patchLength() + " x "
                    + columns + ") exceeds 2^31 - 1 values");
        }
        int planeSize = height * width;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                int rowOffset = i * dh - padTop;
                // The output rows y whose tap lands inside the image: 0 <= y*sh + rowOffset < height.
                int yFrom = Math.min(outHeight, Math.max(0, ceilDiv(-rowOffset, sh)));
                int yTo = Math.max(yFrom, Math.min(outHeight, ceilDiv(height - rowOffset, sh)));
                for (int j = 0; j < kw; j++) {
                    int row = (c * kh + i) * kw + j;
                    int rowStart = (int) (row * columns);
                    int colOffset = j * dw - padLeft;
                    int xFrom = Math.min(outWidth, Math.max(0, ceilDiv(-colOffset, sw)));
                    int xTo = Math.max(xFrom, Math.min(outWidth, ceilDiv(width - colOffset, sw)));
                    boolean inside = xFrom == 0 && xTo == outWidth;
                    for (int s = 0; s < n; s++) {
                        int dst = rowStart + s * area;
                        int src = ((first + s) * channels + c) * planeSize + (yFrom * sh + rowOffset) * width
                                + xFrom * sw + colOffset;
                        int at = dst + yFrom * outWidth + xFrom;
                        if (backward) {
                            cols.addBlock(at, outWidth, image, src, sh * width, sw, yTo - yFrom, xTo - xFrom);
                            continue;
                        }
                        cols.zero(dst, dst + yFrom * outWidth);
                        cols.zero(dst + yTo * outWidth, dst + area);
                        if (!inside) {
                            cols.zero(dst + yFrom * outWidth, dst + yTo * outWidth);
                        }
                        image.copyBlock(src, sh * width, sw, cols, at, outWidth, yTo - yFrom, xTo - xFrom);
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
