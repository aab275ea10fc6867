package org.qat4j.autograd.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/**
 * Batch normalization over the channels of NCHW input with PyTorch's semantics and names:
 * parameters {@code weight} (gamma, initially 1) and {@code bias} (beta, initially 0), buffers
 * {@code running_mean} (initially 0) and {@code running_var} (initially 1). Training mode
 * normalizes with batch statistics and updates the running estimates with {@code momentum}
 * (the variance estimate is unbiased); evaluation mode normalizes with the running estimates.
 */
public final class BatchNorm2d extends Module {

    public static final double DEFAULT_EPS = 1e-5;
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final int channels;
    private final double eps;
    private final double momentum;
    private final Tensor gamma;
    private final Tensor beta;

    public BatchNorm2d(int channels) {
        this(channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        if (channels < 1) {
            throw new IllegalArgumentException("BatchNorm2d: channels " + channels + " must be at least 1");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm2d: eps " + eps + " must be positive");
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: momentum " + momentum + " must be in [0, 1]");
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.gamma = registerParameter("weight", Nd4j.ones(DataType.FLOAT, channels));
        this.beta = registerParameter("bias", Nd4j.zeros(DataType.FLOAT, channels));
        registerBuffer("running_mean", Nd4j.zeros(DataType.FLOAT, channels));
        registerBuffer("running_var", Nd4j.ones(DataType.FLOAT, channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.batchNorm2d(x, gamma, beta, runningMean(), runningVar(), isTraining(), momentum, eps);
    }

    /** Scale per channel, {@code [C]}. */
    public Tensor gamma() {
        return gamma;
    }

    /** Shift per channel, {@code [C]}. */
    public Tensor beta() {
        return beta;
    }

    /** Running mean per channel, {@code [C]}, updated in place in training mode. */
    public INDArray runningMean() {
        return buffer("running_mean");
    }

    /** Running unbiased variance per channel, {@code [C]}, updated in place in training mode. */
    public INDArray runningVar() {
        return buffer("running_var");
    }

    public int channels() {
        return channels;
    }

    public double eps() {
        return eps;
    }

    public double momentum() {
        return momentum;
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + channels + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
