package org.qat4j.experiments.training;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;
import org.qat4j.datasets.Batch;
import org.qat4j.datasets.BatchIterator;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Layout;
import org.qat4j.datasets.Normalization;

/** Predictions and accuracy of a model on a data split, in eval mode and without a graph. */
public final class Evaluation {

    private static final int EVAL_BATCH = 500;

    private Evaluation() {
    }

    /** Returns the predicted class of every image of {@code split}, in file order. */
    public static int[] predict(Module model, DataSplit split, Normalization normalization, Layout layout) {
        boolean wasTraining = model.isTraining();
        model.eval();
        int[] predictions = new int[split.size()];
        try (NoGrad ignored = NoGrad.enter()) {
            BatchIterator batches = split.batches(EVAL_BATCH, normalization, layout);
            int offset = 0;
            while (batches.hasNext()) {
                Batch batch = batches.next();
                INDArray logits = model.forward(Tensor.constant(batch.features())).value();
                argmaxRows(logits, predictions, offset);
                offset += batch.size();
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        return predictions;
    }

    /** Returns the percentage of {@code predictions} equal to the split's labels. */
    public static double accuracy(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException("Got " + predictions.length + " predictions for " + labels.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) {
                correct++;
            }
        }
        return 100.0 * correct / labels.length;
    }

    /** Returns the percentage of positions where two prediction arrays agree. */
    public static double agreement(int[] first, int[] second) {
        return accuracy(first, second);
    }

    /** Returns the test accuracy of {@code model} in percent. */
    public static double accuracy(Module model, DataSplit split, Normalization normalization, Layout layout) {
        return accuracy(predict(model, split, normalization, layout), split.labels());
    }

    /**
     * Writes the index of the largest logit of each row into {@code out} from {@code offset}.
     * Ties go to the lowest class index, as in the integer engine.
     */
    static void argmaxRows(INDArray logits, int[] out, int offset) {
        int rows = (int) logits.size(0);
        int classes = (int) logits.size(1);
        INDArray dense = logits.isView() || logits.ordering() != 'c' || logits.dataType() != DataType.FLOAT
                ? logits.castTo(DataType.FLOAT).dup('c') : logits;
        FloatBuffer buffer = dense.data().asNioFloat();
        int base = (int) dense.offset();
        for (int r = 0; r < rows; r++) {
            int best = 0;
            float bestValue = buffer.get(base + r * classes);
            for (int c = 1; c < classes; c++) {
                float v = buffer.get(base + r * classes + c);
                if (v > bestValue) {
                    bestValue = v;
                    best = c;
                }
            }
            out[offset + r] = best;
        }
    }
}
