package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.qat4j.qat.integer.FixedPointMultiplier;
import org.qat4j.qat.integer.IntegerLayer;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.IntegerWeightedLayer;
import org.qat4j.qat.integer.ModelFile;
import org.qat4j.qat.integer.Requantizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qat4j inspect}: shows what an integer model file contains. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show the layers of an integer model file: shapes, bit widths, scales, zero points, "
                + "multipliers and shifts, and its size against the FP32 parameters.")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Integer model file (.q4j).")
    Path model;

    @Override
    public Integer call() throws IOException {
        IntegerModel integerModel = InferCommand.readModel(model);
        long fileBytes = Files.size(model);
        long parameters = 0;

        System.out.printf(Locale.ROOT, "%s: %d layers, input %s, %s%n", model, integerModel.layers().size(),
                Arrays.toString(integerModel.inputShape()), integerModel.input());
        for (IntegerLayer layer : integerModel.layers()) {
            System.out.printf(Locale.ROOT, "  %-10s %s -> %s%n", layer.name(), Arrays.toString(layer.inputShape()),
                    Arrays.toString(layer.outputShape()));
            if (layer instanceof IntegerWeightedLayer weighted) {
                parameters += (long) weighted.outChannels() * weighted.fanIn() + weighted.outChannels();
                describeWeighted(weighted);
            }
        }
        long fp32Bytes = 4 * parameters;
        System.out.printf(Locale.ROOT, "Size: %,d bytes; the same weights and biases in FP32: %,d bytes (%d values);"
                + " ratio %.1f%%%n",
                fileBytes, fp32Bytes, parameters, 100.0 * fileBytes / fp32Bytes);
        return 0;
    }

    private static void describeWeighted(IntegerWeightedLayer layer) {
        double[] scales = layer.weightScales();
        System.out.printf(Locale.ROOT, "             weights int%d, %d channels x %d, scale s_w %s%n",
                layer.weightBitWidth(), layer.outChannels(), layer.fanIn(), range(scales));
        System.out.printf(Locale.ROOT, "             input  %d-bit, s_x %.6g, z_x %d%n", layer.input().bitWidth(),
                layer.input().scale(), layer.input().zeroPoint());
        Requantizer requantizer = layer.requantizer();
        if (requantizer == null) {
            System.out.println("             output int32 accumulators; class = argmax of the scaled scores");
            return;
        }
        long minM0 = Long.MAX_VALUE;
        long maxM0 = Long.MIN_VALUE;
        int minShift = Integer.MAX_VALUE;
        int maxShift = Integer.MIN_VALUE;
        for (int c = 0; c < requantizer.channels(); c++) {
            FixedPointMultiplier m = requantizer.multiplier(c);
            minM0 = Math.min(minM0, m.multiplier());
            maxM0 = Math.max(maxM0, m.multiplier());
            minShift = Math.min(minShift, m.shift());
            maxShift = Math.max(maxShift, m.shift());
        }
        System.out.printf(Locale.ROOT, "             output %d-bit, s_y %.6g, z_y %d, grid [%d, %d]%s%n",
                requantizer.output().bitWidth(), requantizer.output().scale(), requantizer.output().zeroPoint(),
                requantizer.qmin(), requantizer.qmax(), requantizer.relu() ? ", ReLU as clamp" : "");
        System.out.printf(Locale.ROOT, "             requantize M0 %d..%d, shift %d..%d%n", minM0, maxM0, minShift,
                maxShift);
    }

    private static String range(double[] values) {
        double min = Arrays.stream(values).min().orElse(Double.NaN);
        double max = Arrays.stream(values).max().orElse(Double.NaN);
        return values.length == 1 ? String.format(Locale.ROOT, "%.6g (per tensor)", min)
                : String.format(Locale.ROOT, "%.6g..%.6g (per channel)", min, max);
    }
}
