package org.qat4j.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.ops.AddOp;
import org.qat4j.autograd.ops.BatchNorm2dOp;
import org.qat4j.autograd.ops.Conv2dOp;
import org.qat4j.autograd.ops.CrossEntropyOp;
import org.qat4j.autograd.ops.DivOp;
import org.qat4j.autograd.ops.LinearOp;
import org.qat4j.autograd.ops.MatMulOp;
import org.qat4j.autograd.ops.MaxPool2dOp;
import org.qat4j.autograd.ops.MeanOp;
import org.qat4j.autograd.ops.MulOp;
import org.qat4j.autograd.ops.ReluOp;
import org.qat4j.autograd.ops.ReshapeOp;
import org.qat4j.autograd.ops.SubOp;
import org.qat4j.autograd.ops.SumOp;

/**
 * Functional ops on tensors. Each op lives in its own class under {@code org.qat4j.autograd.ops}
 * with its forward and backward side by side; this class only gathers them.
 *
 * <p>Ops accept FLOAT and DOUBLE arrays (both operands of one op must have the same dtype) and
 * return a new array, never modifying their inputs. Results are c-order and contiguous, except
 * {@link #reshape} and {@link #flatten}, which return a view of a contiguous input. Result
 * arrays come from {@link ArrayPool}, so they may be memory that an earlier, finished step used.
 */
public final class F {

    private F() {
    }

    /** {@code a + b} with broadcasting of bias-like shapes (NumPy rules). */
    public static Tensor add(Tensor a, Tensor b) {
        return AddOp.apply(a, b);
    }

    /** {@code a - b} with broadcasting. */
    public static Tensor sub(Tensor a, Tensor b) {
        return SubOp.apply(a, b);
    }

    /** {@code a * b} elementwise with broadcasting. */
    public static Tensor mul(Tensor a, Tensor b) {
        return MulOp.apply(a, b);
    }

    /** {@code a / b} elementwise with broadcasting. */
    public static Tensor div(Tensor a, Tensor b) {
        return DivOp.apply(a, b);
    }

    /** Matrix product of {@code a[M,K]} and {@code b[K,N]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return MatMulOp.apply(a, b);
    }

    /** {@code x[N,in] · wᵀ + b} with {@code w[out,in]} and {@code b[out]} or null. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return LinearOp.apply(x, w, b);
    }

    /** {@code max(0, x)}. */
    public static Tensor relu(Tensor x) {
        return ReluOp.apply(x);
    }

    /** Sum of all elements, as a scalar (rank 0). */
    public static Tensor sum(Tensor x) {
        return SumOp.apply(x, false);
    }

    /** Sum over the given axes, which are removed from the shape. */
    public static Tensor sum(Tensor x, int... axes) {
        return SumOp.apply(x, false, axes);
    }

    /** Mean of all elements, as a scalar (rank 0). */
    public static Tensor mean(Tensor x) {
        return MeanOp.apply(x);
    }

    /** Mean over the given axes, which are removed from the shape. */
    public static Tensor mean(Tensor x, int... axes) {
        return MeanOp.apply(x, axes);
    }

    /** Reshape in c order; one dimension may be -1 and is then inferred. */
    public static Tensor reshape(Tensor x, long... shape) {
        return ReshapeOp.apply(x, shape);
    }

    /** {@code [N, ...]} to {@code [N, rest]}. */
    public static Tensor flatten(Tensor x) {
        return ReshapeOp.flatten(x);
    }

    /** Convolution of {@code x[N,C,H,W]} with {@code w[OC,C,kH,kW]}, bias {@code b[OC]} or null. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        return Conv2dOp.apply(x, w, b, stride, padding);
    }

    /** Max pooling over {@code kernel×kernel} windows, no padding; ties go to the first maximum in scan order. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
        return MaxPool2dOp.apply(x, kernel, stride);
    }

    /** Batch normalization of NCHW input; in training mode it also updates the running statistics in place. */
    public static Tensor batchNorm2d(Tensor x, Tensor gamma, Tensor beta, INDArray runningMean, INDArray runningVar,
            boolean training, double momentum, double eps) {
        return BatchNorm2dOp.apply(x, gamma, beta, runningMean, runningVar, training, momentum, eps);
    }

    /** Mean cross-entropy of {@code logits[N,K]} against one label per row, as a scalar. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return CrossEntropyOp.apply(logits, labels);
    }
}
