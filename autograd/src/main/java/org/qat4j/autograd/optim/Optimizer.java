package org.qat4j.autograd.optim;

/** Updates parameters from their gradients. */
public interface Optimizer {

    /** Applies one update to every parameter that has a gradient; parameters without one are skipped. */
    void step();

    /** Clears the gradients of all parameters. */
    void zeroGrad();

    void setLearningRate(double learningRate);

    double learningRate();
}
