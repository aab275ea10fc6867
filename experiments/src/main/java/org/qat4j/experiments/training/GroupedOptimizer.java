package org.qat4j.experiments.training;

import java.util.List;

import org.qat4j.autograd.optim.Optimizer;

/**
 * Several optimizers stepped together, each over its own parameter group, with learning rates in
 * fixed ratios: setting the rate sets {@code rate * ratio[i]} on group {@code i}. QAT uses it to give
 * learned quantizer scales a learning rate of their own.
 */
public final class GroupedOptimizer implements Optimizer {

    private final List<Optimizer> groups;
    private final double[] ratios;
    private double learningRate;

    public GroupedOptimizer(List<Optimizer> groups, double[] ratios, double learningRate) {
        if (groups.size() != ratios.length || groups.isEmpty()) {
            throw new IllegalArgumentException("Need one learning-rate ratio per group, got " + groups.size()
                    + " groups and " + ratios.length + " ratios");
        }
        this.groups = List.copyOf(groups);
        this.ratios = ratios.clone();
        setLearningRate(learningRate);
    }

    @Override
    public void step() {
        groups.forEach(Optimizer::step);
    }

    @Override
    public void zeroGrad() {
        groups.forEach(Optimizer::zeroGrad);
    }

    @Override
    public void setLearningRate(double rate) {
        this.learningRate = rate;
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLearningRate(rate * ratios[i]);
        }
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public String toString() {
        return "GroupedOptimizer" + groups;
    }
}
