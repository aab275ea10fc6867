package org.qat4j.experiments.results;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One finished run: one row of {@code runs.csv}. Accuracies and agreement are percentages of
 * the test set in [0, 100].
 *
 * @param runId stable key, for example {@code cnn/qat/lsq/w4a4/pc/seed1}
 * @param model {@code mlp} or {@code cnn} (any non-empty name is accepted)
 * @param method one of {@link #METHODS}
 * @param range range estimator or scale learning ({@code minmax}, {@code mse}, {@code lsq}, ...); empty for FP32 runs
 * @param weightBits bit width of the weights, 32 for FP32
 * @param activationBits bit width of the activations, 32 for FP32
 * @param granularity {@code per-channel}, {@code per-tensor}, or empty for FP32 runs
 * @param seed random seed of training
 * @param epochs epochs of training in this run (0 for PTQ, which does not train)
 * @param fp32Accuracy test accuracy of the FP32 model the run starts from, or of the run itself for FP32 runs
 * @param fakeQuantAccuracy test accuracy with fake quantization; null for FP32 runs
 * @param integerAccuracy test accuracy of the exported integer model; null when there is none
 * @param agreement percent of test images where the integer and fake-quant predictions agree; null when there is no integer model
 * @param modelBytes size of the model: the integer model file, or FP32 parameters at 4 bytes each
 * @param trainSeconds wall-clock seconds of training and calibration
 * @param modelFile path of the integer model file relative to the results folder; empty when there is none
 */
public record RunRecord(String runId, String model, String method, String range, int weightBits, int activationBits,
        String granularity, long seed, int epochs, double fp32Accuracy, Double fakeQuantAccuracy,
        Double integerAccuracy, Double agreement, long modelBytes, double trainSeconds, String modelFile) {

    public static final String FP32 = "fp32";
    public static final String FP32_CONTROL = "fp32-control";
    public static final String PTQ = "ptq";
    public static final String QAT = "qat";
    public static final Set<String> METHODS = Set.of(FP32, FP32_CONTROL, PTQ, QAT);

    public static final String PER_CHANNEL = "per-channel";
    public static final String PER_TENSOR = "per-tensor";
    private static final Set<String> GRANULARITIES = Set.of("", PER_CHANNEL, PER_TENSOR);

    public RunRecord {
        requireName("run_id", runId);
        requireName("model", model);
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(modelFile, "modelFile");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("Method '" + method + "' is unknown: use one of fp32, fp32-control, ptq, qat");
        }
        if (!GRANULARITIES.contains(granularity)) {
            throw new IllegalArgumentException("Granularity '" + granularity + "' is unknown: use per-channel, per-tensor or empty");
        }
        requireBits("wbits", weightBits);
        requireBits("abits", activationBits);
        if (seed < 0) {
            throw new IllegalArgumentException("Seed " + seed + " is negative: use 0 or more");
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("Epochs " + epochs + " is negative: use 0 or more");
        }
        requirePercent("fp32_acc", fp32Accuracy);
        if (fakeQuantAccuracy != null) {
            requirePercent("fakequant_acc", fakeQuantAccuracy);
        }
        if ((integerAccuracy == null) != (agreement == null)) {
            throw new IllegalArgumentException("integer_acc and agreement must both be set (integer model) or both empty, found "
                    + integerAccuracy + " and " + agreement);
        }
        if (integerAccuracy != null) {
            requirePercent("integer_acc", integerAccuracy);
            requirePercent("agreement", agreement);
        }
        if (modelBytes < 0) {
            throw new IllegalArgumentException("model_bytes " + modelBytes + " is negative");
        }
        if (!(trainSeconds >= 0) || Double.isInfinite(trainSeconds)) {
            throw new IllegalArgumentException("train_seconds " + trainSeconds + " must be a finite number of 0 or more");
        }
    }

    /** True for runs with fake quantization (PTQ and QAT). */
    public boolean isQuantized() {
        return method.equals(PTQ) || method.equals(QAT);
    }

    public boolean hasIntegerModel() {
        return integerAccuracy != null;
    }

    /** Bit-width configuration such as {@code W4A8}, or {@code FP32} for runs without quantization. */
    public String configLabel() {
        return isQuantized() ? configLabel(weightBits, activationBits) : "FP32";
    }

    public static String configLabel(int weightBits, int activationBits) {
        return String.format(Locale.ROOT, "W%dA%d", weightBits, activationBits);
    }

    static void requireName(String column, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(column + " is empty");
        }
        if (!value.strip().equals(value)) {
            throw new IllegalArgumentException(column + " '" + value + "' has leading or trailing spaces");
        }
    }

    static void requireBits(String column, int bits) {
        if ((bits < 2 || bits > 16) && bits != 32) {
            throw new IllegalArgumentException(column + " " + bits + " is out of range: use 2 to 16, or 32 for FP32");
        }
    }

    static void requirePercent(String column, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(column + " " + value + " is not a percentage in [0, 100]");
        }
    }
}
