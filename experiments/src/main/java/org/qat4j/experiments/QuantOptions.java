package org.qat4j.experiments;

import java.util.Locale;

import org.qat4j.qat.QuantConfig;
import org.qat4j.qat.QuantGrid;
import org.qat4j.qat.QuantScheme;
import org.qat4j.qat.RangeEstimatorType;
import org.qat4j.experiments.training.Quantization;
import picocli.CommandLine.Option;

/** Quantization options shared by {@code ptq} and {@code qat}. */
public final class QuantOptions {

    @Option(names = "--wbits", paramLabel = "B", defaultValue = "8",
            description = "Weight bit width, 2 to 16 (default: ${DEFAULT-VALUE}).")
    int weightBits;

    @Option(names = "--abits", paramLabel = "B", defaultValue = "8",
            description = "Activation bit width, 2 to 16 (default: ${DEFAULT-VALUE}).")
    int activationBits;

    @Option(names = "--per-channel", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "One weight scale per output channel; --no-per-channel for one per tensor (default: per channel).")
    boolean perChannel;

    @Option(names = "--weight-scheme", paramLabel = "S", defaultValue = "symmetric",
            description = "symmetric (narrow signed grid, z = 0) or asymmetric (default: ${DEFAULT-VALUE}).")
    String weightScheme;

    @Option(names = "--act-scheme", paramLabel = "S", defaultValue = "asymmetric",
            description = "asymmetric (zero point) or symmetric (default: ${DEFAULT-VALUE}).")
    String activationScheme;

    @Option(names = "--range", paramLabel = "R", defaultValue = "minmax",
            description = "Range estimator: minmax, ema, mse, percentile or lsq (default: ${DEFAULT-VALUE}).")
    String range;

    @Option(names = "--learn-scale", description = "Learn every scale with LSQ during QAT.")
    boolean learnScale;

    @Option(names = "--learn-offset", description = "Learn the zero points of asymmetric quantizers (LSQ+) during QAT.")
    boolean learnOffset;

    @Option(names = "--power-of-two", description = "Round every scale up to a power of two.")
    boolean powerOfTwo;

    @Option(names = "--calib", paramLabel = "N",
            description = "Training images used to calibrate the range estimators (default: 1000).")
    int calibrationImages = Quantization.DEFAULT_CALIBRATION_IMAGES;

    /** Builds the config; bad values give an error that lists the valid ones. */
    public QuantConfig config() {
        checkBitWidth("--wbits", weightBits);
        checkBitWidth("--abits", activationBits);
        return QuantConfig.defaults()
                .withBits(weightBits, activationBits)
                .withPerChannel(perChannel)
                .withSchemes(parseScheme("--weight-scheme", weightScheme), parseScheme("--act-scheme", activationScheme))
                .withRangeEstimator(parseRange(range))
                .withLearning(learnScale, learnOffset)
                .withPowerOfTwoScale(powerOfTwo);
    }

    /** Returns the name of the range setting for results: the estimator, or {@code lsq} when scales are learned. */
    public String rangeLabel() {
        if (!learnScale) {
            return range.toLowerCase(Locale.ROOT);
        }
        return learnOffset ? "lsq+" : "lsq";
    }

    private static void checkBitWidth(String option, int bits) {
        if (bits < QuantGrid.MIN_BIT_WIDTH || bits > QuantGrid.MAX_BIT_WIDTH) {
            throw new IllegalArgumentException(option + " " + bits + " is out of range: use "
                    + QuantGrid.MIN_BIT_WIDTH + " to " + QuantGrid.MAX_BIT_WIDTH + ".");
        }
    }

    static QuantScheme parseScheme(String option, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "symmetric" -> QuantScheme.SYMMETRIC;
            case "asymmetric" -> QuantScheme.ASYMMETRIC;
            default -> throw new IllegalArgumentException(option + " '" + value + "' is unknown: use symmetric or asymmetric");
        };
    }

    /** Parses a range estimator name as used on the command line and in results. */
    public static RangeEstimatorType parseRange(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "minmax" -> RangeEstimatorType.MIN_MAX;
            case "ema" -> RangeEstimatorType.RUNNING_MIN_MAX;
            case "mse" -> RangeEstimatorType.MSE;
            case "percentile" -> RangeEstimatorType.PERCENTILE;
            case "lsq" -> RangeEstimatorType.LSQ;
            default -> throw new IllegalArgumentException("--range '" + value
                    + "' is unknown: use minmax, ema, mse, percentile or lsq");
        };
    }
}
