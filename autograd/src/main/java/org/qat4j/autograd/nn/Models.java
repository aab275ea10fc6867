package org.qat4j.autograd.nn;

import java.util.List;

/**
 * The reference networks for 28×28 single-channel images (MNIST) with 10 classes:
 * <ul>
 * <li>{@code mlp}: Linear(784, 300) - ReLU - Linear(300, 100) - ReLU - Linear(100, 10), on
 * input flattened to {@code [N, 784]} (a leading Flatten accepts {@code [N, 1, 28, 28]} too);</li>
 * <li>{@code cnn}: Conv(1→16, 3×3, pad 1) - BN - ReLU - MaxPool 2 - Conv(16→32, 3×3, pad 1) -
 * BN - ReLU - MaxPool 2 - Flatten - Linear(1568, 10), on {@code [N, 1, 28, 28]}. The
 * convolutions have no bias because batch norm follows them.</li>
 * </ul>
 */
public final class Models {

    /** Names accepted by {@link #byName}. */
    public static final List<String> NAMES = List.of("mlp", "cnn");

    private Models() {
    }

    public static Sequential mlp(long seed) {
        return new Sequential(
                new Flatten(),
                new Linear(784, 300, Init.layerSeed(seed, 0)),
                new ReLU(),
                new Linear(300, 100, Init.layerSeed(seed, 1)),
                new ReLU(),
                new Linear(100, 10, Init.layerSeed(seed, 2)));
    }

    public static Sequential cnn(long seed) {
        return new Sequential(
                new Conv2d(1, 16, 3, 1, 1, false, Init.layerSeed(seed, 0)),
                new BatchNorm2d(16),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Conv2d(16, 32, 3, 1, 1, false, Init.layerSeed(seed, 1)),
                new BatchNorm2d(32),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Linear(32 * 7 * 7, 10, Init.layerSeed(seed, 2)));
    }

    /** Builds the model called {@code name} ({@code mlp} or {@code cnn}). */
    public static Sequential byName(String name, long seed) {
        switch (name) {
            case "mlp":
                return mlp(seed);
            case "cnn":
                return cnn(seed);
            default:
                throw new IllegalArgumentException("Unknown model '" + name + "'; valid names: " + String.join(", ", NAMES));
        }
    }
}
