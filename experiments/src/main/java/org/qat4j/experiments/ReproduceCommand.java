package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.qat4j.datasets.Mnist;
import org.qat4j.experiments.study.BitWidths;
import org.qat4j.experiments.study.Study;
import org.qat4j.experiments.study.StudyConfig;
import org.qat4j.experiments.study.StudyMethod;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.experiments.training.Quantization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qat4j reproduce}: the accuracy-drop study on MNIST, with CSV results, plots and a report. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Run the accuracy study on MNIST: FP32 baseline, PTQ (min-max and MSE ranges) and QAT (learned "
                + "scales) at W8A8, W6A6, W4A8, W4A4, W3A3 and W2A2 with per-channel weights, every quantized model "
                + "run on the integer engine, and an FP32 control trained as long as QAT.",
                "Finished runs are kept: running the same command again resumes with the missing runs."})
public final class ReproduceCommand implements Callable<Integer> {

    static final int FULL_FP32_EPOCHS = 5;
    static final int FULL_FINE_TUNE_EPOCHS = 2;
    static final int QUICK_FP32_EPOCHS = 2;
    static final int QUICK_FINE_TUNE_EPOCHS = 1;
    static final int QUICK_TRAIN_IMAGES = 10_000;
    static final int QUICK_CALIBRATION_IMAGES = 500;

    @Option(names = "--quick", description = "A small study for a first look: W8A8 and W4A4 on 10000 training images, "
            + "2 FP32 epochs and 1 QAT epoch (a few minutes on 2 cores).")
    boolean quick;

    @Option(names = "--models", split = ",", paramLabel = "M", description = "Models to study (default: mlp,cnn).")
    List<String> models;

    @Option(names = "--bits", split = ",", paramLabel = "WxAy",
            description = "Bit widths such as w8a8,w4a8 or 4 for w4a4 (default: w8a8,w6a6,w4a8,w4a4,w3a3,w2a2; "
                    + "quick: w8a8,w4a4).")
    List<String> bits;

    @Option(names = "--methods", split = ",", paramLabel = "M",
            description = "ptq-minmax, ptq-mse, qat, control, or ptq for both PTQ methods (default: all).")
    List<String> methods;

    @Option(names = "--epochs", paramLabel = "N", description = "FP32 baseline epochs (default: 5; quick: 2).")
    Integer fp32Epochs;

    @Option(names = "--qat-epochs", paramLabel = "N",
            description = "Epochs of each QAT run and of the FP32 control (default: 2; quick: 1).")
    Integer fineTuneEpochs;

    @Option(names = "--seeds", split = ",", paramLabel = "S", description = "Seeds, one study each (default: 1).")
    List<Long> seeds;

    @Option(names = "--train-images", paramLabel = "N",
            description = "Train and calibrate on the first N training images (default: all 60000; quick: 10000).")
    Integer trainImages;

    @Option(names = "--calib", paramLabel = "N", description = "Calibration images per PTQ or QAT run (default: 1000; quick: 500).")
    Integer calibrationImages;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: results, quick: results-quick).")
    Path out;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        StudyConfig config = config();
        Mnist mnist = data.load();
        Thread resumeHint = new Thread(() -> System.err.println("qat4j reproduce: stopped; finished runs are saved in "
                + config.out() + ". Run the same command again to resume with the missing runs."));
        Runtime.getRuntime().addShutdownHook(resumeHint);
        Path report = new Study(config, mnist, null).run();
        Runtime.getRuntime().removeShutdownHook(resumeHint);
        System.out.println("Results: " + config.out().resolve("runs.csv"));
        System.out.println("Report:  " + report);
        System.out.printf("Peak resident memory: %d MB%n", ProcessMemory.peakResidentBytes() >> 20);
        return 0;
    }

    /** Returns the option's value when given, else the default of the quick or the full study. */
    private int choose(Integer option, int quickDefault, int fullDefault) {
        if (option != null) {
            return option;
        }
        return quick ? quickDefault : fullDefault;
    }

    /** Builds the study from the options, with the defaults of the full or the quick study. */
    StudyConfig config() {
        List<ModelKind> modelKinds = new ArrayList<>();
        for (String name : models != null ? models : List.of("mlp", "cnn")) {
            modelKinds.add(ModelKind.parse(name));
        }
        List<BitWidths> widths = new ArrayList<>();
        if (bits != null) {
            bits.forEach(text -> widths.add(BitWidths.parse(text)));
        } else {
            widths.addAll(quick ? StudyConfig.QUICK_BITS : StudyConfig.FULL_BITS);
        }
        return new StudyConfig(modelKinds, widths,
                StudyMethod.parseList(methods != null ? methods : List.of("ptq", "qat", "control")),
                seeds != null ? seeds : List.of(1L),
                choose(fp32Epochs, QUICK_FP32_EPOCHS, FULL_FP32_EPOCHS),
                choose(fineTuneEpochs, QUICK_FINE_TUNE_EPOCHS, FULL_FINE_TUNE_EPOCHS),
                trainImages != null || !quick ? trainImages : Integer.valueOf(QUICK_TRAIN_IMAGES),
                choose(calibrationImages, QUICK_CALIBRATION_IMAGES, Quantization.DEFAULT_CALIBRATION_IMAGES),
                out != null ? out : Path.of(quick ? "results-quick" : "results"), quick);
    }
}
