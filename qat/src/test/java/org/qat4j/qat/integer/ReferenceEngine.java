package org.qat4j.qat.integer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain implementation of the integer engine's arithmetic for tests: one loop per formula,
 * long accumulators, padding handled by skipping positions outside the input (real zero adds
 * nothing), and requantization by exact decimal arithmetic.
 */
final class ReferenceEngine {

    private ReferenceEngine() {
    }

    /** Returns {@code round(acc * M0 / 2^k)}, half to even, computed with BigDecimal. */
    static BigInteger roundedProduct(long acc, long m0, int shift) {
        BigDecimal product = new BigDecimal(BigInteger.valueOf(acc).multiply(BigInteger.valueOf(m0)));
        BigDecimal divided = product.divide(new BigDecimal(BigInteger.ONE.shiftLeft(shift)));
        return divided.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
    }

    /** Returns {@code clamp(z + round(acc * M0 / 2^k), lower, qmax)} with exact arithmetic. */
    static long requantize(long acc, FixedPointMultiplier multiplier, int zeroPoint, int lower, int upper) {
        BigInteger value = roundedProduct(acc, multiplier.multiplier(), multiplier.shift()).add(BigInteger.valueOf(zeroPoint));
        if (value.compareTo(BigInteger.valueOf(lower)) < 0) {
            return lower;
        }
        if (value.compareTo(BigInteger.valueOf(upper)) > 0) {
            return upper;
        }
        return value.longValueExact();
    }

    /** Returns every layer's output for {@code n} samples, as the engine's {@code layerOutputs} does. */
    static List<long[]> layerOutputs(IntegerModel model, byte[] inputs) {
        int n = inputs.length / model.inputSize();
        long[] current = new long[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            current[i] = inputs[i] & 0xFF;
        }
        List<long[]> outputs = new ArrayList<>();
        for (IntegerLayer layer : model.layers()) {
            long[] next;
            if (layer instanceof IntegerLinear linear) {
                next = linear(linear, current, n);
            } else if (layer instanceof IntegerConv2d conv) {
                next = conv(conv, current, n);
            } else if (layer instanceof IntegerMaxPool2d pool) {
                next = maxPool(pool, current, n);
            } else {
                next = current.clone();
            }
            outputs.add(next);
            current = next;
        }
        return outputs;
    }

    private static long finish(IntegerWeightedLayer layer, int channel, long acc) {
        if (acc < Integer.MIN_VALUE || acc > Integer.MAX_VALUE) {
            throw new AssertionError(layer.name() + ": reference accumulator " + acc + " does not fit in int32");
        }
        Requantizer requantizer = layer.requantizer();
        if (requantizer == null) {
            return acc;
        }
        int zeroPoint = requantizer.output().zeroPoint();
        int lower = requantizer.relu() ? Math.max(requantizer.qmin(), zeroPoint) : requantizer.qmin();
        return requantize(acc, requantizer.multiplier(channel), zeroPoint, lower, requantizer.qmax());
    }

    private static long[] linear(IntegerLinear layer, long[] x, int n) {
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        byte[] w = layer.weights();
        int[] bias = layer.bias();
        long zx = layer.input().zeroPoint();
        long[] y = new long[n * out];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < out; c++) {
                long acc = bias[c];
                for (int k = 0; k < in; k++) {
                    acc += (long) w[c * in + k] * (x[s * in + k] - zx);
                }
                y[s * out + c] = finish(layer, c, acc);
            }
        }
        return y;
    }

    private static long[] conv(IntegerConv2d layer, long[] x, int n) {
        int inC = layer.inChannels();
        int inH = layer.inHeight();
        int inW = layer.inWidth();
        int outC = layer.outChannels();
        int outH = layer.outHeight();
        int outW = layer.outWidth();
        int kernel = layer.kernelSize();

        byte[] w = layer.weights();
        int[] bias = layer.bias();
        long zx = layer.input().zeroPoint();

        long[] y = new long[n * outC * outH * outW];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < outC; c++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        long acc = bias[c];
                        for (int ci = 0; ci < inC; ci++) {
                            for (int ky = 0; ky < kernel; ky++) {
                                for (int kx = 0; kx < kernel; kx++) {
                                    int iy = oy * layer.stride() - layer.padding() + ky;
                                    int ix = ox * layer.stride() - layer.padding() + kx;
                                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
                                        continue;
                                    }
                                    long weight = w[((c * inC + ci) * kernel + ky) * kernel + kx];
                                    long value = x[((s * inC + ci) * inH + iy) * inW + ix];
                                    acc += weight * (value - zx);
                                }
                            }
                        }
                        y[((s * outC + c) * outH + oy) * outW + ox] = finish(layer, c, acc);
                    }
                }
            }
        }
        return y;
    }

    private static long[] maxPool(IntegerMaxPool2d layer, long[] x, int n) {
        int[] in = layer.inputShape();
        int[] out = layer.outputShape();
        long[] y = new long[n * out[0] * out[1] * out[2]];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < in[0]; c++) {
                for (int oy = 0; oy < out[1]; oy++) {
                    for (int ox = 0; ox < out[2]; ox++) {
                        long max = Long.MIN_VALUE;
                        for (int ky = 0; ky < layer.kernelSize(); ky++) {
                            for (int kx = 0; kx < layer.kernelSize(); kx++) {
                                int iy = oy * layer.stride() + ky;
                                int ix = ox * layer.stride() + kx;
                                max = Math.max(max, x[((s * in[0] + c) * in[1] + iy) * in[2] + ix]);
                            }
                        }
                        y[((s * out[0] + c) * out[1] + oy) * out[2] + ox] = max;
                    }
                }
            }
        }
        return y;
    }
}
