package org.qat4j.experiments.training;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.autograd.optim.Optimizer;
import org.qat4j.datasets.BatchIterator;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Normalization;
import org.qat4j.qat.InputNormalization;
import org.qat4j.qat.Prepare;
import org.qat4j.qat.Ptq;
import org.qat4j.qat.Qat;
import org.qat4j.qat.QuantConfig;
import org.qat4j.qat.QuantModel;

/**
 * PTQ and QAT of the reference models on MNIST. A quantized model reads pixels / 255
 * ({@link Normalization#UNIT_RANGE}); the MNIST normalisation the FP32 model was trained with is
 * folded into its first layer.
 */
public final class Quantization {

    /** Default number of training images the range estimators see during calibration. */
    public static final int DEFAULT_CALIBRATION_IMAGES = 1000;
    /** Input domain of every quantized model. */
    public static final Normalization INPUT = Normalization.UNIT_RANGE;

    private static final int CALIBRATION_BATCH = 250;
    private static final long CALIBRATION_SEED_OFFSET = 7919;

    private Quantization() {
    }

    /** Returns a new quantized copy of {@code fp32}; the FP32 model is not changed. */
    public static Sequential prepare(Sequential fp32, QuantConfig config) {
        Normalization mnist = Normalization.MNIST;
        return Prepare.prepare(fp32, config, new InputNormalization(mnist.mean(), mnist.std()));
    }

    /**
     * Calibrates every quantizer on {@code images} training images drawn with {@code seed}, then
     * freezes them with fake quantization on (post-training quantization).
     */
    public static void calibrate(Sequential quantized, DataSplit train, ModelKind kind, int images, long seed) {
        if (images < 1 || images > train.size()) {
            throw new IllegalArgumentException("--calib " + images + " is out of range: use 1 to " + train.size()
                    + " training images");
        }
        List<INDArray> batches = new ArrayList<>();
        BatchIterator iterator = train.shuffledBatches(CALIBRATION_BATCH, seed + CALIBRATION_SEED_OFFSET, INPUT,
                kind.layout());
        int taken = 0;
        while (taken < images && iterator.hasNext()) {
            INDArray features = iterator.next().features();
            int wanted = Math.min(CALIBRATION_BATCH, images - taken);
            batches.add(wanted < features.size(0) ? features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0,
                    wanted)).dup() : features);
            taken += wanted;
        }
        Ptq.calibrate(quantized, batches);
    }

    /**
     * Fine-tunes a calibrated model with fake quantization on. Quantizers with learned parameters
     * train at {@code quantizerRateRatio} times the weights' learning rate; the others keep
     * observing (weights follow their tensor, activations their estimator). Quantizers are frozen
     * at the end.
     */
    public static List<Trainer.EpochStats> fineTune(Sequential quantized, DataSplit train, DataSplit test,
            ModelKind kind, Recipe recipe, int epochs, long seed, double quantizerRateRatio, String label,
            Trainer.EpochListener listener) {
        Qat.startTraining(quantized, true);
        List<Tensor> weights = Qat.weightParameters(quantized);
        List<Tensor> quantizerParameters = Qat.quantizerParameters(quantized);
        Optimizer optimizer = quantizerParameters.isEmpty()
                ? recipe.createOptimizer(weights)
                : new GroupedOptimizer(List.of(recipe.createOptimizer(weights),
                        recipe.createOptimizer(quantizerParameters)), new double[] {1.0, quantizerRateRatio},
                        recipe.learningRate());
        optimizer = Qat.constrained(optimizer, quantized);

        int totalSteps = epochs * Trainer.stepsPerEpoch(train, recipe.batchSize());
        Trainer trainer = new Trainer(quantized, optimizer, recipe.schedule(totalSteps), () -> { }, label);
        List<Trainer.EpochStats> history = trainer.fit(train, test, INPUT, kind.layout(), recipe.batchSize(), 1,
                epochs, seed, listener);
        QuantModel.freeze(quantized);
        quantized.eval();
        return history;
    }
}
