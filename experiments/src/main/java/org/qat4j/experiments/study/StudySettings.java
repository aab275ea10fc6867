package org.qat4j.experiments.study;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import org.qat4j.experiments.results.AtomicFiles;
import org.qat4j.experiments.results.ResultsFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The study options that change what every row of {@code runs.csv} means: training epochs,
 * training images and calibration images. They are kept in {@code study.properties} beside
 * {@code runs.csv}, so that a study resumes only with the options it was started with. Models,
 * bit widths, methods and seeds may change between runs because they only add or skip rows.
 */
record StudySettings(int fp32Epochs, int fineTuneEpochs, Integer trainImages, int calibrationImages) {

    static final String FILE_NAME = "study.properties";

    private static final Logger LOG = LoggerFactory.getLogger(StudySettings.class);

    static StudySettings of(StudyConfig config) {
        return new StudySettings(config.fp32Epochs(), config.fineTuneEpochs(), config.trainImages(),
                config.calibrationImages());
    }

    /**
     * Writes the settings into {@code folder} when it has none yet, otherwise checks that they are
     * the same as the stored ones.
     *
     * @throws ResultsFileException when the folder contains a study with other settings, or the
     *     stored file cannot be read
     */
    void checkOrWrite(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            AtomicFiles.writeString(file, format());
            LOG.info("Wrote the study settings {} to {}", options(), file);
            return;
        }
        StudySettings stored = read(file);
        if (!stored.equals(this)) {
            throw new ResultsFileException("Results folder " + folder + " contains a study run with " + stored.options()
                    + ", but this command sets " + options() + ". Resume it with the same options, or choose "
                    + "another folder with --out.");
        }
    }

    /** Returns the settings as the options of {@code qat4j reproduce}. */
    String options() {
        return String.format(Locale.ROOT, "--epochs %d --qat-epochs %d --train-images %s --calib %d", fp32Epochs,
                fineTuneEpochs, trainImages == null ? "all" : trainImages.toString(), calibrationImages);
    }

    private String format() throws IOException {
        Properties properties = new Properties();
        properties.setProperty("fp32Epochs", Integer.toString(fp32Epochs));
        properties.setProperty("fineTuneEpochs", Integer.toString(fineTuneEpochs));
        properties.setProperty("trainImages", trainImages == null ? "all" : trainImages.toString());
        properties.setProperty("calibrationImages", Integer.toString(calibrationImages));
        StringWriter text = new StringWriter();
        properties.store(text, "qat4j study settings: a resumed study must use the same values");
        return text.toString();
    }

    private static StudySettings read(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        try {
            String trainImages = required(properties, "trainImages", file);
            return new StudySettings(Integer.parseInt(required(properties, "fp32Epochs", file)),
                    Integer.parseInt(required(properties, "fineTuneEpochs", file)),
                    trainImages.equals("all") ? null : Integer.valueOf(trainImages),
                    Integer.parseInt(required(properties, "calibrationImages", file)));
        } catch (NumberFormatException e) {
            throw new ResultsFileException(file + " is damaged (" + e.getMessage() + "). Restore it, or delete "
                    + "it to accept the options of this command for the runs already in the folder.", e);
        }
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new ResultsFileException(file + " is damaged: the key '" + key + "' is missing. Restore it, or "
                    + "delete it to accept the options of this command for the runs already in the folder.");
        }
        return value.strip();
    }
}
