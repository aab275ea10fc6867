package org.qat4j.autograd.optim;

/** Learning rate as a function of the epoch or step index, counted from 0. */
public interface LearningRateSchedule {

    double rateAt(int index);

    /** Sets the optimizer's learning rate to {@code rateAt(index)}. */
    default void apply(Optimizer optimizer, int index) {
        optimizer.setLearningRate(rateAt(index));
    }
}
