package org.qat4j.experiments.training;

import java.util.List;

import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.optim.Adam;
import org.qat4j.autograd.optim.CosineSchedule;
import org.qat4j.autograd.optim.LearningRateSchedule;
import org.qat4j.autograd.optim.Optimizer;
import org.qat4j.autograd.optim.Sgd;
import org.qat4j.autograd.optim.StepSchedule;

/**
 * Optimizer and learning-rate schedule of a training run. The default FP32 recipe is Adam with a
 * cosine decay over all steps. With seed 1 it reached 98.3% (mlp, peak rate 0.002) and 99.0% (cnn,
 * peak rate 0.005) on the MNIST test set after 5 epochs.
 *
 * @param optimizer {@code adam}, {@code adamw} or {@code sgd}
 * @param learningRate peak learning rate
 * @param weightDecay L2 penalty (coupled for adam and sgd, decoupled for adamw)
 * @param schedule {@code cosine}, {@code step} or {@code constant}
 */
public record Recipe(String optimizer, double learningRate, double weightDecay, String schedule, int batchSize) {

    private static final double SGD_MOMENTUM = 0.9;
    private static final double STEP_DECAY = 0.1;

    public Recipe {
        if (!List.of("adam", "adamw", "sgd").contains(optimizer)) {
            throw new IllegalArgumentException("Unknown optimizer '" + optimizer + "': use adam, adamw or sgd");
        }
        if (!List.of("cosine", "step", "constant").contains(schedule)) {
            throw new IllegalArgumentException("Unknown schedule '" + schedule + "': use cosine, step or constant");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Learning rate " + learningRate + " is invalid: use a positive number such as 0.001");
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("Weight decay " + weightDecay + " is invalid: use 0 or a positive number");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batch size " + batchSize + " is invalid: use 1 or more, for example 128");
        }
    }

    /** Returns the default FP32 recipe of a model. */
    public static Recipe fp32Default(ModelKind model) {
        return new Recipe("adam", model == ModelKind.MLP ? 2e-3 : 5e-3, 0.0, "cosine", 128);
    }

    /** Returns the default fine-tuning recipe for QAT and for the FP32 control of the same length. */
    public static Recipe fineTuneDefault(ModelKind model) {
        return new Recipe("adam", model == ModelKind.MLP ? 1e-4 : 2e-4, 0.0, "cosine", 128);
    }

    public Recipe withLearningRate(double rate) {
        return new Recipe(optimizer, rate, weightDecay, schedule, batchSize);
    }

    /** Creates the optimizer over {@code parameters}. */
    public Optimizer createOptimizer(List<Tensor> parameters) {
        return switch (optimizer) {
            case "sgd" -> new Sgd(parameters, learningRate, SGD_MOMENTUM, weightDecay);
            case "adamw" -> new Adam(parameters, learningRate, 0.9, 0.999, 1e-8, weightDecay, true);
            default -> new Adam(parameters, learningRate, 0.9, 0.999, 1e-8, weightDecay, false);
        };
    }

    /**
     * Returns the learning rate for each global step of a run of {@code totalSteps} steps:
     * cosine decays from the peak to 0, step divides by 10 after each third of the run.
     */
    public LearningRateSchedule schedule(int totalSteps) {
        return switch (schedule) {
            case "cosine" -> new CosineSchedule(learningRate, totalSteps);
            case "step" -> new StepSchedule(learningRate, Math.max(1, (totalSteps + 2) / 3), STEP_DECAY);
            default -> index -> learningRate;
        };
    }
}
