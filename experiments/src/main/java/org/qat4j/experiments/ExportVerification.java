package org.qat4j.experiments;

import java.util.List;

import org.qat4j.datasets.DataSplit;
import org.qat4j.qat.integer.ExactSimulation;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerModel;

/** Compares the integer engine with the exact simulation of the same model, layer by layer. */
final class ExportVerification {

    /**
     * Images per comparison chunk. The cnn has about 25,100 layer output values per image, so one
     * chunk holds about 75 MB of outputs (4-byte engine values and 8-byte simulated values).
     */
    private static final int CHUNK = 250;

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
