package org.qat4j.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.DatasetException;
import org.qat4j.datasets.Mnist;
import org.qat4j.datasets.MnistFetcher;
import org.qat4j.datasets.MnistFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qat4j data}: fetches MNIST when missing, verifies it, and shows where it is, the size
 * and class histogram of each split and the first training digits as ASCII art.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Fetch (when missing) and verify MNIST, then show its files, class counts and a few digits.")
public final class DataCommand implements Callable<Integer> {

    /** Shades from background (pixel 0) to full ink (pixel 255), ten levels. */
    private static final String SHADES = " .:-=+*#%@";
    private static final int DIGITS_PER_ROW = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--show", paramLabel = "N", defaultValue = "3",
            description = "Number of training digits to draw (default: ${DEFAULT-VALUE}).")
    int show;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (show < 0 || show > Mnist.TRAIN_SIZE) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--show " + show + " is out of range: use 0 to " + Mnist.TRAIN_SIZE + ".");
        }

        try {
            Mnist mnist = data.load();

            printFiles(out, mnist.directory());
            out.println();
            printHistogram(out, mnist.train(), mnist.test());
            if (show > 0) {
                out.println();
                printDigits(out, mnist.train(), show);
            }
            out.flush();
            return 0;
        } catch (DatasetException e) {
            out.flush();
            err.println("qat4j data: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static void printFiles(PrintWriter out, Path directory) {
        out.println("MNIST in " + directory + " (SHA-256 verified)");
        for (MnistFile file : MnistFile.values()) {
            Path path = MnistFetcher.locate(directory, file.fileName()).orElseThrow();
            out.printf("  %-26s %,12d bytes%n", path.getFileName(), size(path));
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new DatasetException(path + ": cannot read the file size (" + e + ").", e);
        }
    }

    private static void printHistogram(PrintWriter out, DataSplit... splits) {
        StringBuilder header = new StringBuilder(String.format("%-7s", "class"));
        for (int label = 0; label < splits[0].classes(); label++) {
            header.append(String.format("%6d", label));
        }
        out.println(header.append(String.format("%8s", "total")));

        for (DataSplit split : splits) {
            StringBuilder row = new StringBuilder(String.format("%-7s", split.name()));
            for (int count : split.classHistogram()) {
                row.append(String.format("%6d", count));
            }
            out.println(row.append(String.format("%8d", split.size())));
        }
    }

    /** Draws the first {@code count} images side by side, {@value #DIGITS_PER_ROW} per row, one character per pixel. */
    private static void printDigits(PrintWriter out, DataSplit split, int count) {
        for (int first = 0; first < count; first += DIGITS_PER_ROW) {
            int last = Math.min(count, first + DIGITS_PER_ROW);
            List<String> lines = new ArrayList<>();

            StringBuilder captions = new StringBuilder();
            for (int i = first; i < last; i++) {
                String caption = String.format("#%d: label %d", i, split.label(i));
                captions.append(String.format("%-" + (split.cols() + 2) + "s", caption));
            }
            lines.add(captions.toString().stripTrailing());

            for (int row = 0; row < split.rows(); row++) {
                StringBuilder line = new StringBuilder();
                for (int i = first; i < last; i++) {
                    for (int col = 0; col < split.cols(); col++) {
                        line.append(shade(split.pixel(i, row, col)));
                    }
                    line.append("  ");
                }
                lines.add(line.toString().stripTrailing());
            }

            if (first > 0) {
                out.println();
            }
            lines.forEach(out::println);
        }
    }

    /** Maps a pixel in 0..255 to one of the ten shades. */
    static char shade(int pixel) {
        return SHADES.charAt(pixel * SHADES.length() / 256);
    }
}
