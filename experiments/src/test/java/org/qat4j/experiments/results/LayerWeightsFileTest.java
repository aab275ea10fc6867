package org.qat4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWeightsFileTest {

    @TempDir
    Path dir;

    @Test
    void gridLevelsSpanQminToQmax() {
        assertArrayEquals(new double[] {-0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75}, LayerWeights.gridLevels(0.25, -3, 3));
    }

    @Test
    void roundTripKeepsExactFloats() throws Exception {
        float[] weights = {0.1f, -0.3f, 1.0e-7f, Float.MIN_VALUE, -0.0f, 0.123456789f};
        LayerWeights layer = new LayerWeights("mlp", "fc1 channel 0", 4, weights, LayerWeights.gridLevels(0.1, -7, 7));

        LayerWeightsFile.write(dir, layer);
        LayerWeights loaded = LayerWeightsFile.read(dir).orElseThrow();

        assertEquals(layer, loaded);
        assertArrayEquals(weights, loaded.weights());
        assertEquals("mlp,fc1 channel 0,4,weight,0.1", Files.readAllLines(dir.resolve("weights_histogram.csv")).get(1));
    }

    @Test
    void missingFileGivesEmpty() {
        assertTrue(LayerWeightsFile.read(dir).isEmpty());
    }

    @Test
    void unknownKindRejectedWithLine() throws Exception {
        Files.writeString(dir.resolve("weights_histogram.csv"), "model,layer,bits,kind,value\n"
                + "mlp,fc1,4,weight,0.5\nmlp,fc1,4,bias,0.5\n");

        ResultsFileException error = assertThrows(ResultsFileException.class, () -> LayerWeightsFile.read(dir));

        assertTrue(error.getMessage().contains("weights_histogram.csv line 3"), error.getMessage());
        assertTrue(error.getMessage().contains("'bias' is neither weight nor level"), error.getMessage());
    }

    @Test
    void mixedLayersRejectedWithLine() throws Exception {
        Files.writeString(dir.resolve("weights_histogram.csv"), "model,layer,bits,kind,value\n"
                + "mlp,fc1,4,weight,0.5\nmlp,fc2,4,level,0.5\n");

        ResultsFileException error = assertThrows(ResultsFileException.class, () -> LayerWeightsFile.read(dir));

        assertTrue(error.getMessage().contains("line 3"), error.getMessage());
        assertTrue(error.getMessage().contains("must describe one layer"), error.getMessage());
    }
}
