package org.qat4j.autograd.optim;

/** Step decay: {@code rate(t) = baseRate · gamma^floor(t / stepSize)}. */
public final class StepSchedule implements LearningRateSchedule {

    private final double baseRate;
    private final int stepSize;
    private final double gamma;

    public StepSchedule(double baseRate, int stepSize, double gamma) {
        ParameterLoop.checkRate(baseRate);
        if (stepSize < 1) {
            throw new IllegalArgumentException("Step size " + stepSize + " is invalid; use 1 or more");
        }
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("Decay factor gamma " + gamma + " is invalid; use a positive value");
        }
        this.baseRate = baseRate;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public double rateAt(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Schedule index " + index + " is negative");
        }
        return baseRate * Math.pow(gamma, index / stepSize);
    }

    @Override
    public String toString() {
        return "StepSchedule(baseRate=" + baseRate + ", stepSize=" + stepSize + ", gamma=" + gamma + ")";
    }
}
