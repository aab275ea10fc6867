package org.qat4j.experiments.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.experiments.results.LayerErrorCurve;
import org.qat4j.experiments.results.LayerErrorFiles;
import org.qat4j.experiments.results.LayerWeights;
import org.qat4j.experiments.results.LayerWeightsFile;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.qat.QuantGrid;
import org.qat4j.qat.QuantParams;
import org.qat4j.qat.QuantScheme;
import org.qat4j.qat.QuantSpec;
import org.qat4j.qat.RangeEstimator;
import org.qat4j.qat.RangeEstimatorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale trade-off on a real trained layer: the quantization error of its weights at 4 bits
 * (symmetric, narrow grid, one scale for the tensor) over a sweep of scales, split into clipping
 * and rounding error, with the min-max and MSE choices marked, and the weights with the grid.
 */
final class LayerAnalysis {

    private static final Logger LOG = LoggerFactory.getLogger(LayerAnalysis.class);
    static final int BITS = 4;
    private static final int SWEEP_POINTS = 120;

    /**
     * Writes the layer files for {@code kind} unless they exist; the CNN's second convolution is
     * used when the CNN is in the study, otherwise the MLP's second linear layer.
     */
    void writeIfMissing(Path folder, ModelKind kind, Sequential fp32, List<ModelKind> models) throws IOException {
        ModelKind chosen = models.contains(ModelKind.CNN) ? ModelKind.CNN : ModelKind.MLP;
        if (kind != chosen || Files.exists(folder.resolve(LayerErrorFiles.CURVE_FILE_NAME))) {
            return;
        }
        String layerName = secondWeightName(fp32);
        INDArray weight = fp32.namedParameters().get(layerName).value();
        float[] values = weight.castTo(DataType.FLOAT).dup().data().asFloat();

        QuantGrid grid = QuantGrid.narrowSigned(BITS);
        double minMaxScale = scaleOf(RangeEstimatorType.MIN_MAX, grid, weight, layerName);
        double mseScale = scaleOf(RangeEstimatorType.MSE, grid, weight, layerName);
        double[] scales = new double[SWEEP_POINTS];
        double low = minMaxScale / 8;
        double high = minMaxScale * 1.25;
        for (int i = 0; i < SWEEP_POINTS; i++) {
            scales[i] = low * Math.pow(high / low, i / (double) (SWEEP_POINTS - 1));
        }
        LayerErrorCurve curve = LayerErrorCurve.compute(kind.id(), layerName, BITS, values, grid.qmin(), grid.qmax(), scales,
                List.of(new LayerErrorCurve.ScaleMarker("min-max", minMaxScale),
                        new LayerErrorCurve.ScaleMarker("MSE", mseScale)));
        LayerErrorFiles.write(folder, curve);
        LayerWeightsFile.write(folder, new LayerWeights(kind.id(), layerName, BITS, values,
                LayerWeights.gridLevels(mseScale, grid.qmin(), grid.qmax())));
        LOG.info("Wrote the 4-bit error curve and histogram of {} {} (min-max scale {}, MSE scale {})", kind.id(),
                layerName, minMaxScale, mseScale);
    }

    private static double scaleOf(RangeEstimatorType type, QuantGrid grid, INDArray weight, String name) {
        RangeEstimator estimator = type.create(QuantSpec.perTensor(grid, QuantScheme.SYMMETRIC), 0.01, 99.99);
        estimator.observe(weight, name);
        QuantParams params = estimator.params();
        return params.scale(0);
    }

    /** Returns the name of the second weight tensor with more than one axis: a hidden layer, not the first. */
    private static String secondWeightName(Sequential model) {
        int seen = 0;
        for (var entry : model.namedParameters().entrySet()) {
            Tensor parameter = entry.getValue();
            if (entry.getKey().endsWith("weight") && parameter.value().rank() > 1 && ++seen == 2) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("The model has fewer than two weight layers");
    }
}
