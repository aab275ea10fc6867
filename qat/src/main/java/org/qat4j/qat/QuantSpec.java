package org.qat4j.qat;

import java.util.Objects;

/**
 * Quantizer settings for a tensor: the integer grid, the scheme, the granularity and whether scales
 * are restricted to powers of two.
 *
 * @param grid            integer grid {@code [qmin, qmax]}
 * @param scheme          asymmetric (integer zero point) or symmetric ({@code z = 0})
 * @param axis            channel axis for per-channel quantization, or {@link #PER_TENSOR}
 * @param powerOfTwoScale when true, each scale is rounded up to the next power of two
 */
public record QuantSpec(QuantGrid grid, QuantScheme scheme, int axis, boolean powerOfTwoScale) {

    /** The axis value that means one scale and zero point for the whole tensor. */
    public static final int PER_TENSOR = -1;

    public QuantSpec {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(scheme, "scheme");
        if (axis < PER_TENSOR) {
            throw new IllegalArgumentException("Channel axis " + axis + " is invalid: use -1 for per-tensor"
                    + " quantization or a dimension index >= 0 for per-channel quantization.");
        }
    }

    public static QuantSpec perTensor(QuantGrid grid, QuantScheme scheme) {
        return new QuantSpec(grid, scheme, PER_TENSOR, false);
    }

    public static QuantSpec perChannel(QuantGrid grid, QuantScheme scheme, int axis) {
        if (axis < 0) {
            throw new IllegalArgumentException("Per-channel axis " + axis + " is invalid: use a dimension index >= 0.");
        }
        return new QuantSpec(grid, scheme, axis, false);
    }

    public boolean perChannel() {
        return axis != PER_TENSOR;
    }

    public QuantSpec withPowerOfTwoScale(boolean enabled) {
        return new QuantSpec(grid, scheme, axis, enabled);
    }

    public QuantSpec withGrid(QuantGrid newGrid) {
        return new QuantSpec(newGrid, scheme, axis, powerOfTwoScale);
    }
}
