package org.qat4j.autograd.optim;

import java.util.List;

import org.qat4j.autograd.Tensor;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, as PyTorch's SGD without
 * dampening or Nesterov: {@code g = grad + weightDecay · w}, {@code buf = momentum · buf + g}
 * (on the first step {@code buf = g}), {@code w = w - lr · buf}; with {@code momentum = 0},
 * {@code w = w - lr · g}.
 */
public final class Sgd implements Optimizer {

    private final ParameterLoop loop;
    private final double momentum;
    private final double weightDecay;
    private final double[][] velocity;
    private double learningRate;

    public Sgd(List<Tensor> params, double lr, double momentum, double weightDecay) {
        ParameterLoop.checkRate(lr);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum " + momentum + " is invalid; use 0 <= momentum < 1");
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD weight decay " + weightDecay + " is invalid; use a value >= 0");
        }
        this.loop = new ParameterLoop(params);
        this.learningRate = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = new double[loop.parameters().size()][];
    }

    @Override
    public void step() {
        double lr = learningRate;
        loop.run((p, offset, w, g, n) -> {
            for (int i = 0; i < n; i++) {
                g[i] += weightDecay * w[i];
            }
            if (momentum != 0) {
                if (velocity[p] == null) {
                    // Starting from zero makes the first step buf = g, as PyTorch does.
                    velocity[p] = new double[loop.length(p)];
                }
                double[] buf = velocity[p];
                for (int i = 0; i < n; i++) {
                    buf[offset + i] = momentum * buf[offset + i] + g[i];
                }
                for (int i = 0; i < n; i++) {
                    w[i] -= lr * buf[offset + i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    w[i] -= lr * g[i];
                }
            }
        });
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
        return "Sgd(lr=" + learningRate + ", momentum=" + momentum + ", weightDecay=" + weightDecay + ")";
    }
}
