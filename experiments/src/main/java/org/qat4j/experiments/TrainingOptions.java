package org.qat4j.experiments;

import org.qat4j.datasets.DataSplit;
import org.qat4j.experiments.training.Recipe;
import picocli.CommandLine.Option;

/** Training options shared by {@code train} and {@code qat}; unset options keep the recipe's default. */
public final class TrainingOptions {

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of training (default: 5 for train, 3 for qat).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: 128).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: depends on model and method).")
    Double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam, adamw or sgd (default: adam).")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", description = "cosine, step or constant (default: cosine).")
    String schedule;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default: 0).")
    Double weightDecay;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-images", paramLabel = "N",
            description = "Train on the first N training images only (default: all 60000).")
    Integer trainImages;

    /** Returns {@code defaults} with every option the user set replaced. */
    public Recipe recipe(Recipe defaults) {
        return new Recipe(optimizer != null ? optimizer : defaults.optimizer(),
                learningRate != null ? learningRate : defaults.learningRate(),
                weightDecay != null ? weightDecay : defaults.weightDecay(),
                schedule != null ? schedule : defaults.schedule(),
                batch != null ? batch : defaults.batchSize());
    }

    public int epochs(int defaultEpochs) {
        int value = epochs != null ? epochs : defaultEpochs;
        if (value < 1) {
            throw new IllegalArgumentException("--epochs " + value + " is invalid: use 1 or more");
        }
        return value;
    }

    /** Returns the training split, cut to {@code --train-images} when given. */
    public DataSplit trainSubset(DataSplit train) {
        checkTrainImages();
        return trainImages == null ? train : train.subset(trainImages);
    }

    /** Rejects a {@code --train-images} below 1; the upper bound is checked against the split. */
    void checkTrainImages() {
        if (trainImages != null && trainImages < 1) {
            throw new IllegalArgumentException("--train-images " + trainImages + " is invalid: use 1 to 60000");
        }
    }
}
