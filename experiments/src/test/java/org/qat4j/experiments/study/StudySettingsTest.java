package org.qat4j.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.experiments.RealMnist;
import org.qat4j.experiments.results.ResultsFileException;
import org.qat4j.experiments.training.ModelKind;

class StudySettingsTest {

    @TempDir
    Path out;

    private StudyConfig config(int fp32Epochs, Integer trainImages) {
        return new StudyConfig(List.of(ModelKind.MLP), List.of(new BitWidths(8, 8)),
                StudyMethod.parseList(List.of("ptq")), List.of(1L), fp32Epochs, 1, trainImages, 500, out, false);
    }

    @Test
    void sameSettingsPass() throws IOException {
        StudySettings.of(config(2, 3000)).checkOrWrite(out);
        byte[] written = Files.readAllBytes(out.resolve(StudySettings.FILE_NAME));

        StudySettings.of(config(2, 3000)).checkOrWrite(out);

        assertArrayEquals(written, Files.readAllBytes(out.resolve(StudySettings.FILE_NAME)));
    }

    @Test
    void allTrainingImagesRoundTrip() throws IOException {
        StudySettings.of(config(2, null)).checkOrWrite(out);

        StudySettings.of(config(2, null)).checkOrWrite(out);
        assertThrows(ResultsFileException.class, () -> StudySettings.of(config(2, 60000)).checkOrWrite(out));
    }

    @Test
    void studyWithOtherSettingsRejected() throws IOException {
        StudySettings.of(config(2, 3000)).checkOrWrite(out);

        Study study = new Study(config(5, 3000), RealMnist.get(), record -> {
            throw new AssertionError("run " + record.runId() + " started");
        });
        ResultsFileException error = assertThrows(ResultsFileException.class, study::run);

        assertEquals("Results folder " + out + " contains a study run with --epochs 2 --qat-epochs 1 --train-images "
                + "3000 --calib 500, but this command sets --epochs 5 --qat-epochs 1 --train-images 3000 --calib 500. "
                + "Resume it with the same options, or choose another folder with --out.", error.getMessage());
        assertFalse(Files.exists(out.resolve("runs.csv")));
        assertFalse(Files.exists(out.resolve("checkpoints")));
    }

    @Test
    void damagedFileRejected() throws IOException {
        Files.writeString(out.resolve(StudySettings.FILE_NAME), "fp32Epochs=two\nfineTuneEpochs=1\ntrainImages=all\n"
                + "calibrationImages=500\n");

        ResultsFileException error = assertThrows(ResultsFileException.class,
                () -> StudySettings.of(config(2, null)).checkOrWrite(out));

        assertTrue(error.getMessage().startsWith(out.resolve(StudySettings.FILE_NAME) + " is damaged ("),
                error.getMessage());
    }

    @Test
    void configRejectsBadCounts() {
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class, () -> new StudyConfig(
                List.of(ModelKind.MLP), List.of(new BitWidths(8, 8)), StudyMethod.parseList(List.of("ptq")),
                List.of(1L, -1L), 1, 1, null, 500, out, false));
        assertEquals("--seeds -1 is invalid: use 0 or more", seed.getMessage());
        IllegalArgumentException images = assertThrows(IllegalArgumentException.class, () -> config(1, 60001));
        assertEquals("--train-images 60001 is invalid: use 1 to 60000", images.getMessage());
        IllegalArgumentException calibration = assertThrows(IllegalArgumentException.class, () -> config(1, 400));
        assertEquals("--calib 500 is invalid: use 1 to 400, the number of training images", calibration.getMessage());
    }
}
