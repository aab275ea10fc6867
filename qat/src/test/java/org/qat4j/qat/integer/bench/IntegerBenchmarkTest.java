package org.qat4j.qat.integer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerModel;

class IntegerBenchmarkTest {

    @Test
    void benchmarkModelsHaveMnistShapes() {
        IntegerModel mlp = IntegerBenchmark.randomMlp(1);
        IntegerModel cnn = IntegerBenchmark.randomCnn(2);
        assertEquals(784, mlp.inputSize());
        assertEquals(784, cnn.inputSize());
        assertEquals(10, mlp.classCount());
        assertEquals(10, cnn.classCount());
    }

    @Test
    void benchmarkModelsClassifyImages() {
        byte[] images = IntegerBenchmark.randomImages(20, 3);
        for (IntegerModel model : new IntegerModel[] {IntegerBenchmark.randomMlp(1), IntegerBenchmark.randomCnn(2)}) {
            try (IntegerEngine engine = new IntegerEngine(model, 8, 2)) {
                int[] classes = engine.classify(images);
                assertEquals(20, classes.length);
                for (int c : classes) {
                    assertTrue(c >= 0, "class " + c);
                    assertTrue(c < 10, "class " + c);
                }
            }
        }
    }

    @Test
    void imagesPerSecondIsPositive() {
        double rate = IntegerBenchmark.imagesPerSecond(IntegerBenchmark.randomMlp(1),
                IntegerBenchmark.randomImages(64, 4), 32, 1, 1);
        assertTrue(rate > 0, "rate " + rate);
    }
}
