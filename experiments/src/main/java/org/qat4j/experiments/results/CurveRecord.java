package org.qat4j.experiments.results;

import java.util.Objects;

/**
 * One epoch of training: one row of {@code curves.csv}. Accuracies are percentages.
 *
 * @param runId the run this epoch belongs to, as in {@code runs.csv}
 * @param epoch epoch number, 1 for the first epoch (0 may hold an evaluation before training)
 * @param trainLoss mean training loss of the epoch; NaN or infinity when training diverged
 * @param learningRate learning rate used in the epoch
 * @param seconds wall-clock seconds of the epoch
 */
public record CurveRecord(String runId, String model, String method, int weightBits, int activationBits, int epoch,
        double trainLoss, double trainAccuracy, double testAccuracy, double learningRate, double seconds) {

    public CurveRecord {
        RunRecord.requireName("run_id", runId);
        RunRecord.requireName("model", model);
        Objects.requireNonNull(method, "method");
        if (!RunRecord.METHODS.contains(method)) {
            throw new IllegalArgumentException("Method '" + method + "' is unknown: use one of fp32, fp32-control, ptq, qat");
        }
        RunRecord.requireBits("wbits", weightBits);
        RunRecord.requireBits("abits", activationBits);
        if (epoch < 0) {
            throw new IllegalArgumentException("Epoch " + epoch + " is negative");
        }
        RunRecord.requirePercent("train_acc", trainAccuracy);
        RunRecord.requirePercent("test_acc", testAccuracy);
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning_rate " + learningRate + " must be a finite number of 0 or more");
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds " + seconds + " must be a finite number of 0 or more");
        }
    }

    /** Bit-width configuration such as {@code W4A4}, or {@code FP32} for runs without quantization. */
    public String configLabel() {
        boolean quantized = method.equals(RunRecord.PTQ) || method.equals(RunRecord.QAT);
        return quantized ? RunRecord.configLabel(weightBits, activationBits) : "FP32";
    }
}
