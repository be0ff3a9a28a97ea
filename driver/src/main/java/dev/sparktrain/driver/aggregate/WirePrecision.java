package dev.sparktrain.driver.aggregate;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.indexer.HalfIndexer;

/**
 * The precision in which the local-step modes send their pseudo-gradients ({@code training.exchange.pseudo_gradient}):
 * float32 as computed, or rounded to a 16-bit float, bf16 (float32's range, 8 significant bits) or fp16 (IEEE half:
 * 11 significant bits, magnitudes up to 65504). Rounding is to nearest, ties to even; a value beyond fp16's range
 * becomes infinite, which the driver's finiteness check reports.
 */
public enum WirePrecision {
    FLOAT32, BF16, FP16;

    public static WirePrecision parse(String field, String value) {
        for (WirePrecision p : values()) {
            if (p.configName().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + Arrays.stream(values())
                .map(WirePrecision::configName).toList() + ", got '" + value + "'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether values travel in 16 bits. */
    public boolean halves() {
        return this != FLOAT32;
    }

    /** {@code value}'s 16 bits in this precision. */
    public short encode(float value) {
        return switch (this) {
            case BF16 -> bf16(value);
            case FP16 -> (short) HalfIndexer.fromFloat(value);
            case FLOAT32 -> throw new IllegalStateException("float32 values are not encoded in 16 bits");
        };
    }

    /** The float that {@code bits} stand for in this precision (exact). */
    public float decode(short bits) {
        return switch (this) {
            case BF16 -> Float.intBitsToFloat((bits & 0xFFFF) << 16);
            case FP16 -> HalfIndexer.toFloat(bits & 0xFFFF);
            case FLOAT32 -> throw new IllegalStateException("float32 values are not encoded in 16 bits");
        };
    }

    /**
     * bf16 rounded to nearest, ties to even (javacpp's {@code Bfloat16Indexer} truncates, which biases every value
     * towards zero); a NaN stays a NaN.
     */
    private static short bf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
