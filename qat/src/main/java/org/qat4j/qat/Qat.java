package org.qat4j.qat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;
import org.qat4j.autograd.optim.Optimizer;

/**
 * Quantization-aware training helpers. The usual sequence:
 * <ol>
 *   <li>{@code Ptq.calibrate(model, batches)} initialises every scale and zero point;</li>
 *   <li>{@link #startTraining(Module, boolean)} chooses which observers keep running;</li>
 *   <li>build two optimizer parameter groups from {@link #weightParameters} and
 *       {@link #quantizerParameters} (the quantizer parameters usually need another learning rate);</li>
 *   <li>wrap the optimizer that updates quantizer parameters in {@link #constrained} so scales stay
 *       positive after every step.</li>
 * </ol>
 */
public final class Qat {

    private Qat() {
    }

    /**
     * Sets the observers for training with fake quantization on: quantizers with learned parameters keep
     * their observer off (it would overwrite the learned values). The others observe every training
     * batch when {@code observe} is true, so weight ranges follow the weights and activation ranges follow
     * their estimator (use {@link RangeEstimatorType#RUNNING_MIN_MAX} for an EMA), or stay frozen.
     * An observing weight quantizer with the MSE or percentile estimator repeats its search on every
     * forward pass in training mode, which is slow for large layers; min-max is the usual choice there.
     */
    public static void startTraining(Module model, boolean observe) {
        for (FakeQuantize q : QuantModel.quantizers(model)) {
            boolean learned = q.learnScale() || q.learnOffset();
            q.enableObserver(observe && !learned);
            q.enableFakeQuant(true);
        }
        model.train();
    }

    /** Returns the learned scales and zero points of all quantizers. */
    public static List<Tensor> quantizerParameters(Module model) {
        List<Tensor> out = new ArrayList<>();
        for (FakeQuantize q : QuantModel.quantizers(model)) {
            if (q.scaleParameter() != null) {
                out.add(q.scaleParameter());
            }
            if (q.zeroPointParameter() != null) {
                out.add(q.zeroPointParameter());
            }
        }
        return out;
    }

    /** Returns every parameter of the model that is not a quantizer parameter (weights and biases). */
    public static List<Tensor> weightParameters(Module model) {
        Set<Tensor> quantizer = Collections.newSetFromMap(new IdentityHashMap<>());
        quantizer.addAll(quantizerParameters(model));
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (!quantizer.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Wraps {@code optimizer} so each {@code step()} is followed by
     * {@link QuantModel#constrainParameters}: learned scales stay at least {@link QuantParams#MIN_SCALE}
     * and learned zero points stay on their grids.
     */
    public static Optimizer constrained(Optimizer optimizer, Module model) {
        List<FakeQuantize> quantizers = QuantModel.quantizers(model);
        return new Optimizer() {
            @Override
            public void step() {
                optimizer.step();
                quantizers.forEach(FakeQuantize::constrainParameters);
            }

            @Override
            public void zeroGrad() {
                optimizer.zeroGrad();
            }

            @Override
            public void setLearningRate(double learningRate) {
                optimizer.setLearningRate(learningRate);
            }

            @Override
            public double learningRate() {
                return optimizer.learningRate();
            }

            @Override
            public String toString() {
                return "Constrained(" + optimizer + ")";
            }
        };
    }
}
