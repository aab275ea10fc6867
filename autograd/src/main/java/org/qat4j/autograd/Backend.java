package org.qat4j.autograd;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time set-up of the native backend, run before the first model is built.
 *
 * <p>It runs one 512×512×512 GEMM: OpenBLAS 0.3.19 (the version ND4J 1.0.0-M2.1 bundles) runs
 * small and medium single-precision GEMMs about 2.8 times slower until one GEMM of roughly
 * 384³ or more has run in the process. It also sets the OpenBLAS thread count from the system
 * property {@code qat4j.blasThreads}, 1 by default: on a 2-core machine the training steps of
 * the reference models (measured with {@code TrainStepBenchmark}) ran as fast or faster with one
 * BLAS thread and the Java kernels on two threads ({@link Parallel}), because idle OpenBLAS
 * threads spin and take a core from them.
 */
public final class Backend {

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);
    private static final int WARM_UP_SIZE = 512;

    private static volatile boolean initialized;

    private Backend() {
    }

    /** Initializes the backend once per process; later calls return at once. */
    public static void init() {
        if (initialized) {
            return;
        }
        synchronized (Backend.class) {
            if (initialized) {
                return;
            }
            int threads = Integer.getInteger("qat4j.blasThreads", 1);
            if (threads < 1) {
                throw new IllegalArgumentException("qat4j.blasThreads is " + threads + "; use 1 or more");
            }
            Nd4j.factory().blas().setMaxThreads(threads);
            long start = System.nanoTime();
            INDArray a = Nd4j.rand(DataType.FLOAT, WARM_UP_SIZE, WARM_UP_SIZE);
            INDArray c = Nd4j.createUninitialized(DataType.FLOAT, WARM_UP_SIZE, WARM_UP_SIZE);
            Nd4j.gemm(a, a, c, false, false, 1.0, 0.0);
            NdArrays.release(a);
            NdArrays.release(c);
            LOG.debug("Backend ready: {} BLAS threads, {} kernel threads, warm-up GEMM took {} ms", threads,
                    Parallel.threads(), (System.nanoTime() - start) / 1_000_000);
            initialized = true;
        }
    }
}
