package org.qat4j.autograd.optim;

/**
 * Cosine annealing without restarts (Loshchilov and Hutter, 2017, "SGDR"):
 * {@code rate(t) = minRate + (baseRate - minRate) · (1 + cos(π · t / total)) / 2} for
 * {@code t <= total}, and {@code minRate} after that.
 */
public final class CosineSchedule implements LearningRateSchedule {

    private final double baseRate;
    private final int total;
    private final double minRate;

    public CosineSchedule(double baseRate, int total, double minRate) {
        ParameterLoop.checkRate(baseRate);
        ParameterLoop.checkRate(minRate);
        if (total < 1) {
            throw new IllegalArgumentException("Cosine schedule length " + total + " is invalid; use 1 or more");
        }
        this.baseRate = baseRate;
        this.total = total;
        this.minRate = minRate;
    }

    public CosineSchedule(double baseRate, int total) {
        this(baseRate, total, 0.0);
    }

    @Override
    public double rateAt(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Schedule index " + index + " is negative");
        }
        if (index >= total) {
            return minRate;
        }
        return minRate + (baseRate - minRate) * (1 + Math.cos(Math.PI * index / total)) / 2;
    }

    @Override
    public String toString() {
        return "CosineSchedule(baseRate=" + baseRate + ", total=" + total + ", minRate=" + minRate + ")";
    }
}
