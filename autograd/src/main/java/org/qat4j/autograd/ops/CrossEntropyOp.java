package org.qat4j.autograd.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/**
 * Mean cross-entropy of logits {@code z[N,K]} against integer labels, with log-softmax and
 * negative log likelihood fused: {@code L = (1/N) Σ_n (log Σ_k exp(z[n,k]) - z[n, label[n]])}.
 * The log-sum-exp subtracts the row maximum first, so large logits do not overflow.
 * Backward: {@code dL/dz[n,k] = (softmax(z[n])[k] - [k = label[n]]) / N}.
 */
public final class CrossEntropyOp {

    private CrossEntropyOp() {
    }

    public static Tensor apply(Tensor logits, int[] labels) {
        INDArray z = NdArrays.contiguous(logits.value());
        NdArrays.checkRank(z, 2, "crossEntropy: logits [N, K]");
        NdArrays.checkFloatingPoint(z, "crossEntropy: logits");
        int n = Math.toIntExact(z.size(0));
        int classes = Math.toIntExact(z.size(1));
        if (labels.length != n) {
            throw new IllegalArgumentException("crossEntropy: " + labels.length + " labels for a batch of " + n
                    + " logit rows; pass one label per row");
        }
        if (n == 0) {
            throw new IllegalArgumentException("crossEntropy: the batch is empty");
        }
        for (int row = 0; row < n; row++) {
            if (labels[row] < 0 || labels[row] >= classes) {
                throw new IllegalArgumentException("crossEntropy: label " + labels[row] + " at row " + row
                        + " is out of range for " + classes + " classes; labels must be 0 to " + (classes - 1));
            }
        }

        double[] probabilities = NativeRows.readAll(z, null);
        double total = 0;
        for (int row = 0; row < n; row++) {
            int base = row * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, probabilities[base + k]);
            }
            double shiftedTarget = probabilities[base + labels[row]] - max;
            double sumExp = 0;
            for (int k = 0; k < classes; k++) {
                double e = Math.exp(probabilities[base + k] - max);
                probabilities[base + k] = e;
                sumExp += e;
            }
            total += Math.log(sumExp) - shiftedTarget;
            for (int k = 0; k < classes; k++) {
                probabilities[base + k] /= sumExp;
            }
        }
        INDArray loss = Nd4j.scalar(z.dataType(), total / n);
        if (z != logits.value()) {
            NdArrays.release(z);
        }

        return Tensor.fromOp(loss, g -> {
            double scale = g.getDouble(0) / n;
            double[] grad = new double[n * classes];
            for (int row = 0; row < n; row++) {
                int base = row * classes;
                for (int k = 0; k < classes; k++) {
                    grad[base + k] = probabilities[base + k] * scale;
                }
                grad[base + labels[row]] -= scale;
            }
            INDArray gz = ArrayPool.take(loss.dataType(), n, classes);
            NativeRows.writeAll(gz, grad);
            logits.accumulateGradOwned(gz);
        }, logits);
    }
}
