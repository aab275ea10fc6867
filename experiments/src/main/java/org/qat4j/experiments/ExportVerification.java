package org.qat4j.experiments;

import java.util.List;

import org.qat4j.datasets.DataSplit;
import org.qat4j.qat.integer.ExactSimulation;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerModel;

/** Compares the integer engine with the exact simulation of the same model, layer by layer. */
final class ExportVerification {

    /** Images per comparison chunk; the layer outputs of one chunk of the cnn take about 60 MB. */
    private static final int CHUNK = 1000;

    private ExportVerification() {
    }

    /** Returns the number of layer output values where the engine and the exact simulation differ. */
    static long layerMismatches(IntegerModel model, DataSplit split) {
        ExactSimulation simulation = new ExactSimulation(model);
        long mismatches = 0;
        try (IntegerEngine engine = new IntegerEngine(model)) {
            for (int start = 0; start < split.size(); start += CHUNK) {
                byte[] pixels = split.pixels(start, Math.min(split.size(), start + CHUNK));
                List<int[]> engineOutputs = engine.layerOutputs(pixels);
                List<long[]> simulatedOutputs = simulation.layerOutputs(pixels);
                for (int layer = 0; layer < engineOutputs.size(); layer++) {
                    int[] actual = engineOutputs.get(layer);
                    long[] expected = simulatedOutputs.get(layer);
                    for (int i = 0; i < actual.length; i++) {
                        if (actual[i] != expected[i]) {
                            mismatches++;
                        }
                    }
                }
            }
        }
        return mismatches;
    }
}
