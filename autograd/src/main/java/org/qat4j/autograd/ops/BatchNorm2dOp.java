package org.qat4j.autograd.ops;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Parallel;
import org.qat4j.autograd.Scratch;
import org.qat4j.autograd.Tensor;

/**
 * Batch normalization over the channels of NCHW input (Ioffe and Szegedy, 2015), with
 * PyTorch's semantics: {@code y = gamma · (x - mean) / sqrt(var + eps) + beta} per channel.
 *
 * <p>Training mode uses the statistics of the batch over {@code M = N·H·W} values per channel,
 * with the biased variance {@code var = Σ (x - mean)² / M} for normalizing, and updates the
 * running estimates in place: {@code runningMean = (1 - momentum) · runningMean + momentum ·
 * mean} and {@code runningVar = (1 - momentum) · runningVar + momentum · var · M / (M - 1)}
 * (unbiased). The gradient flows through the batch statistics:
 * {@code dL/dx = gamma / (M · sqrt(var + eps)) · (M · dL/dy - Σ dL/dy - x̂ · Σ dL/dy · x̂)}.
 *
 * <p>Evaluation mode normalizes with the running estimates, which are constants, so
 * {@code dL/dx = dL/dy · gamma / sqrt(runningVar + eps)}. In both modes
 * {@code dL/dgamma = Σ dL/dy · x̂} and {@code dL/dbeta = Σ dL/dy}.
 */
public final class BatchNorm2dOp {

    private BatchNorm2dOp() {
    }

    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, INDArray runningMean, INDArray runningVar,
            boolean training, double momentum, double eps) {
        INDArray input = x.value();
        NdArrays.checkRank(input, 4, "batchNorm2d: input [N, C, H, W]");
        NdArrays.checkFloatingPoint(input, "batchNorm2d: input");
        int n = Math.toIntExact(input.size(0));
        int channels = Math.toIntExact(input.size(1));
        int plane = Math.toIntExact(input.size(2) * input.size(3));
        int perChannel = Math.multiplyExact(n, plane);
        checkChannelArray(gamma.value(), channels, "gamma");
        checkChannelArray(beta.value(), channels, "beta");
        checkChannelArray(runningMean, channels, "runningMean");
        checkChannelArray(runningVar, channels, "runningVar");
        if (training && perChannel < 2) {
            throw new IllegalArgumentException("batchNorm2d: training mode needs more than one value per channel,"
                    + " got input shape " + Arrays.toString(input.shape()) + "; use a larger batch or eval mode");
        }

        INDArray xv = NdArrays.contiguous(input);
        double[] gammas = NativeRows.readAll(gamma.value(), null);
        double[] betas = NativeRows.readAll(beta.value(), null);
        double[] mean = new double[channels];
        double[] invStd = new double[channels];
        INDArray out = ArrayPool.take(xv.dataType(), input.shape());
        double[] biasedVar = new double[channels];
        double[] runningMeans = training ? null : NativeRows.readAll(runningMean, null);
        double[] runningVars = training ? null : NativeRows.readAll(runningVar, null);
        Parallel.forRange(channels, 1, (first, last) -> {
            NativeRows.Access source = NativeRows.of(xv);
            NativeRows.Access target = NativeRows.of(out);
            double[] channel = Scratch.doubles(Scratch.INPUT, perChannel);
            for (int c = first; c < last; c++) {
                readChannel(source, c, channels, plane, n, channel);
                if (training) {
                    mean[c] = sum(channel, perChannel) / perChannel;
                    biasedVar[c] = sumSquaredDeviations(channel, perChannel, mean[c]) / perChannel;
                    invStd[c] = 1.0 / Math.sqrt(biasedVar[c] + eps);
                } else {
                    mean[c] = runningMeans[c];
                    invStd[c] = 1.0 / Math.sqrt(runningVars[c] + eps);
                }
                normalize(channel, perChannel, mean[c], invStd[c], gammas[c], betas[c]);
                writeChannel(target, c, channels, plane, n, channel);
            }
        });
        if (training) {
            updateRunningStatistics(runningMean, runningVar, mean, biasedVar, momentum, perChannel);
        }

        return Tensor.fromOp(out, g -> {
            INDArray gc = NdArrays.contiguous(g);
            double[] gradGamma = new double[channels];
            double[] gradBeta = new double[channels];
            INDArray gx = x.requiresGrad() ? ArrayPool.take(xv.dataType(), input.shape()) : null;
            Parallel.forRange(channels, 1, (first, last) -> {
                NativeRows.Access inputs = NativeRows.of(xv);
                NativeRows.Access grads = NativeRows.of(gc);
                NativeRows.Access gradInputs = gx == null ? null : NativeRows.of(gx);
                double[] xs = Scratch.doubles(Scratch.INPUT, perChannel);
                double[] gs = Scratch.doubles(Scratch.OUTPUT, perChannel);
                for (int c = first; c < last; c++) {
                    readChannel(inputs, c, channels, plane, n, xs);
                    readChannel(grads, c, channels, plane, n, gs);
                    double s = invStd[c];
                    double[] sums = normalizeAndSum(xs, gs, perChannel, mean[c], s);
                    double sumG = sums[0];
                    double sumGXhat = sums[1];
                    gradGamma[c] = sumGXhat;
                    gradBeta[c] = sumG;
                    if (gradInputs == null) {
                        continue;
                    }
                    if (training) {
                        double scale = gammas[c] * s / perChannel;
                        for (int i = 0; i < perChannel; i++) {
                            gs[i] = scale * (perChannel * gs[i] - sumG - xs[i] * sumGXhat);
                        }
                    } else {
                        double scale = gammas[c] * s;
                        for (int i = 0; i < perChannel; i++) {
                            gs[i] *= scale;
                        }
                    }
                    writeChannel(gradInputs, c, channels, plane, n, gs);
                }
            });
            if (gc != g) {
                NdArrays.release(gc);
            }
            if (gx != null) {
                x.accumulateGradOwned(gx);
            }
            accumulateChannelGrad(gamma, gradGamma);
            accumulateChannelGrad(beta, gradBeta);
        }, x, gamma, beta);
    }

    private static void checkChannelArray(INDArray array, int channels, String name) {
        if (array.length() != channels) {
            throw new IllegalArgumentException("batchNorm2d: " + name + " has shape " + Arrays.toString(array.shape())
                    + " but the input has " + channels + " channels");
        }
    }

    private static void readChannel(NativeRows.Access array, int c, int channels, int plane, int n, double[] dst) {
        for (int image = 0; image < n; image++) {
            array.read(((long) image * channels + c) * plane, dst, image * plane, plane);
        }
    }

    private static void writeChannel(NativeRows.Access array, int c, int channels, int plane, int n, double[] src) {
        for (int image = 0; image < n; image++) {
            array.write(((long) image * channels + c) * plane, src, image * plane, plane);
        }
    }

    /** Sums with four independent accumulators, so the additions are not one serial chain. */
    private static double sum(double[] values, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += values[i];
            s1 += values[i + 1];
            s2 += values[i + 2];
            s3 += values[i + 3];
        }
        for (; i < length; i++) {
            s0 += values[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Replaces {@code xs} by {@code x̂ = (x - mean) · invStd} and returns {@code {Σ g, Σ g · x̂}}
     * in one pass, with four accumulators per sum so the additions are not one serial chain.
     */
    private static double[] normalizeAndSum(double[] xs, double[] gs, int length, double mean, double invStd) {
        double g0 = 0;
        double g1 = 0;
        double g2 = 0;
        double g3 = 0;
        double d0 = 0;
        double d1 = 0;
        double d2 = 0;
        double d3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            double x0 = (xs[i] - mean) * invStd;
            double x1 = (xs[i + 1] - mean) * invStd;
            double x2 = (xs[i + 2] - mean) * invStd;
            double x3 = (xs[i + 3] - mean) * invStd;
            xs[i] = x0;
            xs[i + 1] = x1;
            xs[i + 2] = x2;
            xs[i + 3] = x3;
            g0 += gs[i];
            g1 += gs[i + 1];
            g2 += gs[i + 2];
            g3 += gs[i + 3];
            d0 += gs[i] * x0;
            d1 += gs[i + 1] * x1;
            d2 += gs[i + 2] * x2;
            d3 += gs[i + 3] * x3;
        }

        for (; i < length; i++) {
            double x0 = (xs[i] - mean) * invStd;
            xs[i] = x0;
            g0 += gs[i];
            d0 += gs[i] * x0;
        }

        return new double[] {(g0 + g1) + (g2 + g3), (d0 + d1) + (d2 + d3)};
    }

    private static double sumSquaredDeviations(double[] values, int length, double mean) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            double d0 = values[i] - mean;
            double d1 = values[i + 1] - mean;
            double d2 = values[i + 2] - mean;
            double d3 = values[i + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < length; i++) {
            double d = values[i] - mean;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void normalize(double[] values, int length, double mean, double invStd, double gamma, double beta) {
        double scale = gamma * invStd;
        double shift = beta - mean * scale;
        for (int i = 0; i < length; i++) {
            values[i] = values[i] * scale + shift;
        }
    }

    private static void updateRunningStatistics(INDArray runningMean, INDArray runningVar, double[] mean,
            double[] biasedVar, double momentum, int perChannel) {
        double[] means = NativeRows.readAll(runningMean, null);
        double[] vars = NativeRows.readAll(runningVar, null);
        double unbias = perChannel / (perChannel - 1.0);
        for (int c = 0; c < mean.length; c++) {
            means[c] = (1 - momentum) * means[c] + momentum * mean[c];
            vars[c] = (1 - momentum) * vars[c] + momentum * biasedVar[c] * unbias;
        }
        NativeRows.writeAll(runningMean, means);
        NativeRows.writeAll(runningVar, vars);
    }

    private static void accumulateChannelGrad(Tensor target, double[] grad) {
        if (!target.requiresGrad()) {
            return;
        }
        INDArray array = ArrayPool.take(target.value().dataType(), target.shape());
        NativeRows.writeAll(array, grad);
        target.accumulateGradOwned(array);
    }
}
