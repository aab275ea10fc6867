package org.qat4j.autograd.optim;

import java.util.List;

import org.qat4j.autograd.Tensor;

/**
 * Adam (Kingma and Ba, 2015, "Adam: A Method for Stochastic Optimization") and AdamW
 * (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization"), as in PyTorch.
 * At step {@code t = 1, 2, ...}:
 * {@code m = beta1 · m + (1 - beta1) · g}, {@code v = beta2 · v + (1 - beta2) · g²},
 * {@code w = w - lr · (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)}.
 * Weight decay is added to the gradient ({@code g = grad + weightDecay · w}) for Adam; for
 * AdamW ({@code decoupled}) it shrinks the weight directly, {@code w = w · (1 - lr · weightDecay)},
 * before the Adam update. The moments are kept in double precision.
 */
public final class Adam implements Optimizer {

    private final ParameterLoop loop;
    private final double betaOne;
    private final double betaTwo;
    private final double epsilon;
    private final double weightDecay;
    private final boolean decoupled;
    private final double[][] firstMoment;
    private final double[][] secondMoment;
    private double learningRate;
    private int step;

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
            boolean decoupled) {
        ParameterLoop.checkRate(lr);
        checkBeta(beta1, "beta1");
        checkBeta(beta2, "beta2");
        if (!(eps > 0)) {
            throw new IllegalArgumentException("Adam epsilon " + eps + " is invalid; use a positive value such as 1e-8");
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam weight decay " + weightDecay + " is invalid; use a value >= 0");
        }
        this.loop = new ParameterLoop(params);
        this.learningRate = lr;
        this.betaOne = beta1;
        this.betaTwo = beta2;
        this.epsilon = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        int count = loop.parameters().size();
        this.firstMoment = new double[count][];
        this.secondMoment = new double[count][];
    }

    /** Adam with PyTorch's defaults: beta1 0.9, beta2 0.999, epsilon 1e-8, no weight decay. */
    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.0, false);
    }

    private static void checkBeta(double beta, String name) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("Adam " + name + " " + beta + " is invalid; use 0 <= " + name + " < 1");
        }
    }

    @Override
    public void step() {
        step++;
        double lr = learningRate;
        double correctionOne = 1 - Math.pow(betaOne, step);
        double correctionTwo = 1 - Math.pow(betaTwo, step);
        double stepSize = lr / correctionOne;
        double sqrtCorrectionTwo = Math.sqrt(correctionTwo);
        double shrink = decoupled ? 1 - lr * weightDecay : 1;
        double coupledDecay = decoupled ? 0 : weightDecay;
        loop.run((p, offset, w, g, n) -> {
            if (firstMoment[p] == null) {
                firstMoment[p] = new double[loop.length(p)];
                secondMoment[p] = new double[loop.length(p)];
            }
            double[] m = firstMoment[p];
            double[] v = secondMoment[p];
            for (int i = 0; i < n; i++) {
                double grad = g[i] + coupledDecay * w[i];
                int k = offset + i;
                m[k] = betaOne * m[k] + (1 - betaOne) * grad;
                v[k] = betaTwo * v[k] + (1 - betaTwo) * grad * grad;
                double denominator = Math.sqrt(v[k]) / sqrtCorrectionTwo + epsilon;
                w[i] = w[i] * shrink - stepSize * m[k] / denominator;
            }
        });
    }

    /** Number of steps taken so far. */
    public int stepCount() {
        return step;
    }

    @Override
    public void zeroGrad() {
        loop.zeroGrad();
    }

    @Override
    public void setLearningRate(double learningRate) {
        ParameterLoop.checkRate(learningRate);
        this.learningRate = learningRate;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public String toString() {
        return (decoupled ? "AdamW" : "Adam") + "(lr=" + learningRate + ", beta1=" + betaOne + ", beta2=" + betaTwo
                + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay + ")";
    }
}
