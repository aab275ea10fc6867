package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-training quantization: calibration of the range estimators on a few batches.
 */
public final class Ptq {

    private static final Logger LOG = LoggerFactory.getLogger(Ptq.class);

    private Ptq() {
    }

    /**
     * Calibrates every quantizer of {@code model}: with observers on, fake quantization off (so each
     * observer receives FP32 tensors) and no gradient graph, runs the model on every batch; then freezes the
     * observers and enables fake quantization. The model's training/evaluation mode is restored.
     *
     * @param batches inputs in the quantized model's domain (pixels / 255 for a model from {@link Prepare})
     * @return the number of batches seen
     */
    public static int calibrate(Module model, Iterable<INDArray> batches) {
        boolean wasTraining = model.isTraining();
        long start = System.nanoTime();
        int count = 0;
        model.train();
        QuantModel.observe(model, true);
        QuantModel.fakeQuant(model, false);
        try (NoGrad ignored = NoGrad.enter()) {
            for (INDArray batch : batches) {
                model.forward(Tensor.constant(batch));
                count++;
            }
        } finally {
            if (!wasTraining) {
                model.eval();
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("Calibration needs at least one batch, but the batch source is empty.");
        }
        QuantModel.freeze(model);
        QuantModel.fakeQuant(model, true);
        LOG.info("Calibrated {} quantizers on {} batches in {} ms", QuantModel.quantizers(model).size(), count,
                (System.nanoTime() - start) / 1_000_000);
        return count;
    }
}
