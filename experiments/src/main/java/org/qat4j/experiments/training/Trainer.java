package org.qat4j.experiments.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;
import org.qat4j.autograd.optim.LearningRateSchedule;
import org.qat4j.autograd.optim.Optimizer;
import org.qat4j.datasets.Batch;
import org.qat4j.datasets.BatchIterator;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Layout;
import org.qat4j.datasets.Normalization;
import org.qat4j.experiments.UserInputException;
import org.qat4j.experiments.ProcessMemory;
import org.qat4j.experiments.progress.TrainingProgress;

/**
 * Mini-batch training with cross-entropy loss: shuffles the training split with
 * {@code seed + epoch}, sets the learning rate of every step from a schedule, and evaluates on
 * the test split after each epoch.
 */
public final class Trainer {


    /** Statistics of one finished epoch; accuracies in percent. */
    public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testAccuracy,
            double learningRate, double seconds, double imagesPerSecond) {
    }

    /** Receives each epoch's statistics as soon as the epoch ends. */
    @FunctionalInterface
    public interface EpochListener {
        void onEpoch(EpochStats stats);
    }

    private final Module model;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final Runnable afterStep;
    private final String label;

    /**
     * @param schedule learning rate for each global step 0, 1, ... of the whole run
     * @param afterStep work after each optimizer step, for example keeping learned scales positive
     * @param label shown in progress output, for example {@code cnn qat W4A4}
     */
    public Trainer(Module model, Optimizer optimizer, LearningRateSchedule schedule, Runnable afterStep,
            String label) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.afterStep = afterStep;
        this.label = label;
    }

    /** Returns the number of optimizer steps in one epoch over {@code train} at {@code batchSize}. */
    public static int stepsPerEpoch(DataSplit train, int batchSize) {
        return (train.size() + batchSize - 1) / batchSize;
    }

    /**
     * Trains for {@code epochs} epochs and returns the statistics of each.
     *
     * @param firstEpoch number of the first epoch (1 for a fresh run); the shuffle seed and the
     *        schedule continue from it
     */
    public List<EpochStats> fit(DataSplit train, DataSplit test, Normalization normalization, Layout layout,
            int batchSize, int firstEpoch, int epochs, long seed, EpochListener listener) {
        List<EpochStats> history = new ArrayList<>();
        int steps = stepsPerEpoch(train, batchSize);
        try (TrainingProgress progress = TrainingProgress.start(label, firstEpoch + epochs - 1, steps)) {
            for (int epoch = firstEpoch; epoch < firstEpoch + epochs; epoch++) {
                progress.startEpoch(epoch);
                EpochStats stats = runEpoch(train, test, normalization, layout, batchSize, epoch, steps, seed, progress);
                progress.endEpoch(String.format(Locale.ROOT, "train %.2f%%, test %.2f%%, %.0f images/s, resident memory %d MB",
                        stats.trainAccuracy(), stats.testAccuracy(), stats.imagesPerSecond(),
                        ProcessMemory.residentBytes() >> 20));
                history.add(stats);
                if (listener != null) {
                    listener.onEpoch(stats);
                }
                if (!Double.isFinite(stats.trainLoss())) {
                    throw new UserInputException(label + ": training diverged in epoch " + epoch
                            + " (loss " + stats.trainLoss() + "); lower the learning rate with --lr");
                }
            }
        }
        return history;
    }

    private EpochStats runEpoch(DataSplit train, DataSplit test, Normalization normalization, Layout layout,
            int batchSize, int epoch, int steps, long seed, TrainingProgress progress) {
        model.train();
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        double learningRate = 0;
        int[] predictions = new int[batchSize];
        BatchIterator batches = train.shuffledBatches(batchSize, seed + epoch, normalization, layout);
        int step = 0;
        while (batches.hasNext()) {
            Batch batch = batches.next();
            learningRate = schedule.rateAt((epoch - 1) * steps + step);
            optimizer.setLearningRate(learningRate);

            optimizer.zeroGrad();
            Tensor logits = model.forward(Tensor.constant(batch.features()));
            Tensor loss = F.crossEntropy(logits, batch.labels());
            loss.backward();
            optimizer.step();
            afterStep.run();

            double batchLoss = loss.value().getDouble(0);
            lossSum += batchLoss * batch.size();
            Evaluation.argmaxRows(logits.value(), predictions, 0);
            for (int i = 0; i < batch.size(); i++) {
                if (predictions[i] == batch.labels()[i]) {
                    correct++;
                }
            }
            seen += batch.size();
            step++;
            progress.batchDone(batch.size(), batchLoss);
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        double testAccuracy = Evaluation.accuracy(model, test, normalization, layout);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochStats(epoch, lossSum / seen, 100.0 * correct / seen, testAccuracy, learningRate, seconds,
                seen / trainSeconds);
    }
}
