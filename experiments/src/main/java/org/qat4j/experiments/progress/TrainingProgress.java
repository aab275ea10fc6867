package org.qat4j.experiments.progress;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a training run: epoch, batch, mean loss of the epoch so far, images per second and
 * the time left in the run. On a terminal it draws a progress bar per epoch on standard error.
 * When there is no terminal, or the environment variable {@code CI} is {@code true}, it logs one
 * line at most every {@link #DEFAULT_LOG_INTERVAL} and one at the end of each epoch instead.
 *
 * <p>The time left is an estimate: the mean time per batch so far times the batches left.
 */
public final class TrainingProgress implements AutoCloseable {

    public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(TrainingProgress.class);

    private final String task;
    private final int epochs;
    private final int batchesPerEpoch;
    private final LongSupplier nanoClock;
    private final boolean terminal;
    private final long logIntervalNanos;
    private final Consumer<String> logSink;

    private final long runStartNanos;
    private long runBatches;
    private int epoch;
    private int batch;
    private long epochStartNanos;
    private long epochImages;
    private double epochLossSum;
    private long lastLogNanos;
    private ProgressBar bar;

    TrainingProgress(String task, int epochs, int batchesPerEpoch, boolean terminal, LongSupplier nanoClock,
            Duration logInterval, Consumer<String> logSink) {
        if (epochs < 1 || batchesPerEpoch < 1) {
            throw new IllegalArgumentException("Progress of " + task + " needs at least one epoch and one batch, found "
                    + epochs + " epochs of " + batchesPerEpoch + " batches");
        }
        this.task = task;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.logIntervalNanos = logInterval.toNanos();
        this.logSink = logSink;
        this.runStartNanos = nanoClock.getAsLong();
    }

    /**
     * Starts the progress of a run of {@code epochs} epochs of {@code batchesPerEpoch} batches,
     * choosing a progress bar on a terminal and log lines otherwise.
     */
    public static TrainingProgress start(String task, int epochs, int batchesPerEpoch) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean terminal = System.console() != null && !ci;
        log.info("Training {}: {} epochs of {} batches", task, epochs, batchesPerEpoch);
        return new TrainingProgress(task, epochs, batchesPerEpoch, terminal, System::nanoTime, DEFAULT_LOG_INTERVAL,
                log::info);
    }

    /** Starts epoch {@code epoch} (1-based). */
    public void startEpoch(int epoch) {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("Epoch " + epoch + " is out of range: use 1 to " + epochs);
        }
        closeBar();
        this.epoch = epoch;
        this.batch = 0;
        this.epochImages = 0;
        this.epochLossSum = 0;
        this.epochStartNanos = nanoClock.getAsLong();
        this.lastLogNanos = epochStartNanos;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "%s epoch %d/%d", task, epoch, epochs))
                    .setInitialMax(batchesPerEpoch).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setUnit(" batches", 1).build();
        }
    }

    /** Records a finished batch of {@code images} images with mean loss {@code loss}. */
    public void batchDone(int images, double loss) {
        if (epoch == 0) {
            throw new IllegalStateException("batchDone called before startEpoch");
        }
        batch++;
        runBatches++;
        epochImages += images;
        epochLossSum += loss * images;

        long now = nanoClock.getAsLong();
        if (bar != null) {
            bar.stepBy(1);
            bar.setExtraMessage(status(now, false));
        } else if (now - lastLogNanos >= logIntervalNanos) {
            lastLogNanos = now;
            logSink.accept(task + ": " + status(now, true));
        }
    }

    /** Ends the current epoch; {@code summary} (for example the test accuracy) is added to its log line. */
    public void endEpoch(String summary) {
        long now = nanoClock.getAsLong();
        closeBar();
        String line = String.format(Locale.ROOT, "%s: epoch %d/%d done in %s, loss %.4f", task, epoch, epochs,
                formatDuration((now - epochStartNanos) / 1e9), meanLoss());
        logSink.accept(summary == null || summary.isEmpty() ? line : line + ", " + summary);
    }

    /** Mean loss of the current epoch so far, weighted by images; NaN before the first batch. */
    public double meanLoss() {
        return epochImages == 0 ? Double.NaN : epochLossSum / epochImages;
    }

    /** Estimated seconds left in the run; NaN before the first batch. */
    public double secondsLeft() {
        if (runBatches == 0) {
            return Double.NaN;
        }
        double secondsPerBatch = (nanoClock.getAsLong() - runStartNanos) / 1e9 / runBatches;
        long batchesLeft = (long) epochs * batchesPerEpoch - runBatches;
        return secondsPerBatch * Math.max(0, batchesLeft);
    }

    String status(long now, boolean withPosition) {
        double epochSeconds = (now - epochStartNanos) / 1e9;
        double imagesPerSecond = epochSeconds > 0 ? epochImages / epochSeconds : 0;
        if (!withPosition) {
            // The bar already shows epoch and batch, and terminals are narrow.
            return String.format(Locale.ROOT, "loss %.4f, %.0f img/s, run ends in ~%s", meanLoss(), imagesPerSecond,
                    formatDuration(secondsLeft()));
        }
        return String.format(Locale.ROOT, "epoch %d/%d, batch %d/%d, loss %.4f, %.0f images/s, about %s left", epoch,
                epochs, batch, batchesPerEpoch, meanLoss(), imagesPerSecond, formatDuration(secondsLeft()));
    }

    @Override
    public void close() {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Formats seconds as {@code 42 s}, {@code 3 min 05 s} or {@code 2 h 07 min}; "unknown" for NaN. */
    static String formatDuration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "unknown";
        }
        long whole = Math.round(seconds);
        if (whole < 60) {
            return whole + " s";
        }
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, (whole % 3600) / 60);
    }
}
