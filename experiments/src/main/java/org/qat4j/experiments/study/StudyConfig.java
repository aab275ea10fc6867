package org.qat4j.experiments.study;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.qat4j.datasets.Mnist;
import org.qat4j.experiments.training.ModelKind;

/**
 * The runs of {@code qat4j reproduce}: models, bit widths, methods, seeds and training lengths.
 *
 * @param trainImages images of the training split used for training and calibration; null for all
 * @param fp32Epochs epochs of the FP32 baseline
 * @param fineTuneEpochs epochs of each QAT run and of the FP32 control
 */
public record StudyConfig(List<ModelKind> models, List<BitWidths> bitWidths, Set<StudyMethod> methods,
        List<Long> seeds, int fp32Epochs, int fineTuneEpochs, Integer trainImages, int calibrationImages,
        Path out, boolean quick) {

    /** Bit widths of the full study. */
    public static final List<BitWidths> FULL_BITS = List.of(new BitWidths(8, 8), new BitWidths(6, 6),
            new BitWidths(4, 8), new BitWidths(4, 4), new BitWidths(3, 3), new BitWidths(2, 2));
    /** Bit widths of the quick study. */
    public static final List<BitWidths> QUICK_BITS = List.of(new BitWidths(8, 8), new BitWidths(4, 4));

    public StudyConfig {
        models = List.copyOf(models);
        bitWidths = List.copyOf(bitWidths);
        methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods));
        seeds = List.copyOf(seeds);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("--models is empty: name at least one of mlp, cnn");
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("--seeds is empty: give at least one seed, for example 1");
        }
        if (fp32Epochs < 1 || fineTuneEpochs < 1) {
            throw new IllegalArgumentException("Epochs must be 1 or more, got --epochs " + fp32Epochs
                    + " and --qat-epochs " + fineTuneEpochs);
        }
        for (long seed : seeds) {
            if (seed < 0) {
                throw new IllegalArgumentException("--seeds " + seed + " is invalid: use 0 or more");
            }
        }
        if (trainImages != null && (trainImages < 1 || trainImages > Mnist.TRAIN_SIZE)) {
            throw new IllegalArgumentException("--train-images " + trainImages + " is invalid: use 1 to "
                    + Mnist.TRAIN_SIZE);
        }
        int available = trainImages == null ? Mnist.TRAIN_SIZE : trainImages;
        if (calibrationImages < 1 || calibrationImages > available) {
            throw new IllegalArgumentException("--calib " + calibrationImages + " is invalid: use 1 to " + available
                    + ", the number of training images");
        }
    }

    /** Returns true when {@code method} is part of the study. */
    public boolean runs(StudyMethod method) {
        return methods.contains(method);
    }
}
