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
            case FP16 -> fp16(value);
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
     * bf16 rounded to nearest, ties to even; a NaN stays a NaN. By hand: javacpp's {@code Bfloat16Indexer} truncates
     * (every value biased towards zero), its {@code HalfIndexer} rounds ties away from zero, and Java 17 has no
     * {@code Float.floatToFloat16}.
     */
    private static short bf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** IEEE half rounded to nearest, ties to even: as {@code Float.floatToFloat16} of Java 20 does. */
    private static short fp16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7FFFFFFF;
        if (magnitude >= 0x7F800000) {
            return (short) (sign | 0x7C00 | (magnitude > 0x7F800000 ? 0x0200 : 0));
        }
        if (magnitude >= 0x477FF000) {
            // 65520 and up round to infinity
            return (short) (sign | 0x7C00);
        }
        if (magnitude < 0x38800000) {
            // Below 2^-14, halves are multiples of 2^-24: scaling by 2^24 is exact, rint rounds ties to even.
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(magnitude) * 16777216f));
        }
        int rounded = magnitude + 0xFFF + ((magnitude >>> 13) & 1);
        return (short) (sign | ((rounded >>> 13) - ((127 - 15) << 10)));
    }
}
