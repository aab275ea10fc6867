package org.qat4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the command line: exit code 1 and one line on standard error that names the
 * command, the value and what to do, with no stack trace.
 */
class CommandErrorsTest {

    private static final String DATA = RealMnist.directory().toString();

    @TempDir
    Path temp;

    /** Checks that {@code result} is a user error whose only output line is {@code expected}. */
    private static void assertUserError(String expected, Cli.Result result) {
        assertOneLineError(result);
        assertEquals(expected, result.err().strip());
    }

    /** Checks a user error whose line starts with {@code prefix}, and returns the line. */
    private static String assertUserErrorStartsWith(String prefix, Cli.Result result) {
        assertOneLineError(result);
        String line = result.err().strip();
        assertTrue(line.startsWith(prefix), "expected a line starting with '" + prefix + "', got: " + line);
        return line;
    }

    private static void assertOneLineError(Cli.Result result) {
        assertEquals(1, result.exitCode(), "exit code; stderr:\n" + result.err());
        assertEquals(1, result.err().strip().lines().count(), "stderr has more than one line:\n" + result.err());
        assertFalse(result.err().contains("\tat "), "stderr shows a stack trace:\n" + result.err());
        assertFalse(result.err().contains("Caused by"), "stderr shows a stack trace:\n" + result.err());
        assertEquals("", result.out(), "nothing is printed on standard output");
    }

    @Test
    void unknownModel() {
        assertUserError("qat4j train: Unknown model 'resnet': use one of mlp, cnn",
                Cli.run("train", "--model", "resnet", "--out", temp.toString()));
    }

    @Test
    void bitWidthOutOfRange() {
        assertUserError("qat4j ptq: --wbits 17 is out of range: use 2 to 16.",
                Cli.run("ptq", "--model", "mlp", "--wbits", "17", "--out", temp.toString()));
        assertUserError("qat4j ptq: --wbits 1 is out of range: use 2 to 16.",
                Cli.run("ptq", "--model", "mlp", "--wbits", "1", "--out", temp.toString()));
        assertUserError("qat4j qat: --abits 0 is out of range: use 2 to 16.",
                Cli.run("qat", "--model", "mlp", "--abits", "0", "--out", temp.toString()));
    }

    @Test
    void unknownRange() {
        assertUserError("qat4j ptq: --range 'foo' is unknown: use minmax, ema, mse, percentile or lsq",
                Cli.run("ptq", "--model", "mlp", "--range", "foo", "--out", temp.toString()));
    }

    @Test
    void reproduceBitsAboveEngine() {
        assertUserError("qat4j reproduce: Bit widths W9A9 are not supported by the study: the integer engine runs "
                + "2 to 8 bits; use w2a2 to w8a8", Cli.run("reproduce", "--bits", "w9a9", "--out", temp.toString()));
        assertUserError("qat4j reproduce: Bit widths 'w4x4' are invalid: write w4a8, or 4 for w4a4",
                Cli.run("reproduce", "--bits", "w8a8,w4x4", "--out", temp.toString()));
    }

    @Test
    void reproduceUnknownModelAndMethod() {
        assertUserError("qat4j reproduce: Unknown model 'foo': use one of mlp, cnn",
                Cli.run("reproduce", "--models", "mlp,foo", "--out", temp.toString()));
        assertUserError("qat4j reproduce: Method 'lsq' is unknown: use ptq-minmax, ptq-mse, qat, control or ptq for "
                + "both PTQ methods", Cli.run("reproduce", "--methods", "lsq", "--out", temp.toString()));
    }

    @Test
    void resultsFolderNotWritable() throws IOException {
        Path file = Files.writeString(temp.resolve("file.txt"), "a regular file");
        Path out = file.resolve("results");

        assertUserErrorStartsWith("qat4j train: Results folder " + out + " cannot be created (",
                Cli.run("train", "--model", "mlp", "--out", out.toString(), "--data-dir", DATA));
        assertUserErrorStartsWith("qat4j reproduce: Results folder " + out + " cannot be created (",
                Cli.run("reproduce", "--models", "mlp", "--out", out.toString(), "--data-dir", DATA));
        assertUserErrorStartsWith("qat4j ptq: Results folder " + out + " cannot be created (",
                Cli.run("ptq", "--model", "mlp", "--out", out.toString(), "--data-dir", DATA));
        assertEquals("a regular file", Files.readString(file));
    }

    @Test
    void corruptedRunsCsvIsKept() throws IOException {
        Path runs = temp.resolve("runs.csv");
        byte[] corrupted = ("run_id,model,method\nmlp/fp32/seed1,mlp,fp32\n").getBytes(StandardCharsets.UTF_8);
        Files.write(runs, corrupted);

        String line = assertUserErrorStartsWith("qat4j reproduce: " + runs, Cli.run("reproduce", "--models", "mlp",
                "--bits", "w8a8", "--train-images", "1000", "--out", temp.toString(), "--data-dir", DATA));

        assertTrue(line.contains("header"), line);
        assertArrayEquals(corrupted, Files.readAllBytes(runs));
        assertFalse(Files.exists(temp.resolve("checkpoints")), "no training ran");
    }

    @Test
    void corruptedRowOfRunsCsvIsKept() throws IOException {
        Path runs = temp.resolve("runs.csv");
        byte[] corrupted = ("run_id,model,method,range,wbits,abits,granularity,seed,epochs,fp32_acc,fakequant_acc,"
                + "integer_acc,agreement,model_bytes,train_seconds,model_file\n"
                + "mlp/fp32/seed1,mlp,fp32,,32,32,,1,1,ninety,,,,1066440,3.5,\n").getBytes(StandardCharsets.UTF_8);
        Files.write(runs, corrupted);

        String line = assertUserErrorStartsWith("qat4j reproduce: " + runs, Cli.run("reproduce", "--models", "mlp",
                "--bits", "w8a8", "--out", temp.toString(), "--data-dir", DATA));

        assertTrue(line.contains("line 2"), line);
        assertTrue(line.contains("ninety"), line);
        assertArrayEquals(corrupted, Files.readAllBytes(runs));
    }

    @Test
    void ptqWithoutFp32Checkpoint() {
        Path expected = temp.resolve("checkpoints").resolve("mlp-fp32-seed1.ckpt");

        assertUserError("qat4j ptq: FP32 checkpoint " + expected + " not found: train one with 'qat4j train --model mlp "
                + "--out " + temp + "' or pass --checkpoint FILE.",
                Cli.run("ptq", "--model", "mlp", "--out", temp.toString(), "--data-dir", DATA));
    }

    @Test
    void ptqWithCheckpointOfOtherModel() {
        TrainedMlp mlp = TrainedMlp.get();

        assertUserErrorStartsWith("qat4j ptq: " + mlp.fp32Checkpoint + ": ", Cli.run("ptq", "--model", "cnn",
                "--checkpoint", mlp.fp32Checkpoint.toString(), "--out", temp.toString(), "--data-dir", DATA));
    }

    @Test
    void inferMissingModelFile() {
        Path missing = temp.resolve("missing.q4j");

        assertUserError("qat4j infer: Model file " + missing + " not found: create one with 'qat4j export'.",
                Cli.run("infer", "--model", missing.toString(), "--data-dir", DATA));
    }

    @Test
    void inspectMissingModelFile() {
        Path missing = temp.resolve("missing.q4j");

        assertUserError("qat4j inspect: Model file " + missing + " not found: create one with 'qat4j export'.",
                Cli.run("inspect", missing.toString()));
    }

    @Test
    void inferTruncatedModelFile() throws IOException {
        byte[] bytes = Files.readAllBytes(TrainedMlp.get().modelFile);
        Path truncated = Files.write(temp.resolve("truncated.q4j"), Arrays.copyOf(bytes, bytes.length / 2));

        assertUserError("qat4j infer: " + truncated + ": file truncated: expected " + bytes.length + " bytes, found "
                + bytes.length / 2 + " (or the length field of the header is damaged).",
                Cli.run("infer", "--model", truncated.toString(), "--data-dir", DATA));
    }

    @Test
    void inferAlteredModelFile() throws IOException {
        byte[] bytes = Files.readAllBytes(TrainedMlp.get().modelFile);
        bytes[bytes.length / 2] ^= 0x10;
        Path altered = Files.write(temp.resolve("altered.q4j"), bytes);

        String line = assertUserErrorStartsWith("qat4j infer: " + altered + ": checksum mismatch: stored CRC-32 ",
                Cli.run("infer", "--model", altered.toString(), "--data-dir", DATA));
        assertTrue(line.endsWith("; the file was altered or corrupted."), line);
    }

    @Test
    void inferImageOfWrongSize() throws IOException {
        Path image = temp.resolve("small.pgm");
        byte[] header = "P5\n14 14\n255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(header, header.length + 14 * 14);
        Files.write(image, bytes);

        assertUserError("qat4j infer: Image " + image + " is 14x14 pixels; expected 28x28 (resize it first).",
                Cli.run("infer", "--model", TrainedMlp.get().modelFile.toString(), "--image", image.toString()));
    }

    @Test
    void inferIndexOutOfRange() {
        String model = TrainedMlp.get().modelFile.toString();

        assertUserError("qat4j infer: --index 10000 is out of range: use 0 to 9999",
                Cli.run("infer", "--model", model, "--index", "10000", "--data-dir", DATA));
        assertUserError("qat4j infer: --index -1 is out of range: use 0 to 9999",
                Cli.run("infer", "--model", model, "--index", "-1", "--data-dir", DATA));
    }

    @Test
    void exportMissingCheckpoint() {
        Path missing = temp.resolve("missing.ckpt");

        assertUserError("qat4j export: Checkpoint " + missing + " not found: create one with 'qat4j ptq' or 'qat4j qat'.",
                Cli.run("export", "--checkpoint", missing.toString(), "--out", temp.resolve("m.q4j").toString()));
    }

    @Test
    void exportFp32Checkpoint() {
        Path fp32 = TrainedMlp.get().fp32Checkpoint;

        assertUserError("qat4j export: " + fp32 + " is not a quantized checkpoint: " + fp32 + ".properties is missing. "
                + "Create one with 'qat4j ptq' or 'qat4j qat'.",
                Cli.run("export", "--checkpoint", fp32.toString(), "--out", temp.resolve("m.q4j").toString()));
        assertFalse(Files.exists(temp.resolve("m.q4j")));
    }

    @Test
    void exportDamagedCheckpointDescription() throws IOException {
        TrainedMlp mlp = TrainedMlp.get();
        Path checkpoint = temp.resolve("damaged.ckpt");
        Files.copy(mlp.ptqCheckpoint, checkpoint);
        Path description = temp.resolve("damaged.ckpt.properties");
        String text = Files.readString(mlp.ptqCheckpoint.resolveSibling(mlp.ptqCheckpoint.getFileName() + ".properties"));
        Files.writeString(description, text.replace("weightScheme=SYMMETRIC", "weightScheme=ROUND"));

        assertUserError("qat4j export: " + description + ": invalid value (No enum constant "
                + "org.qat4j.qat.QuantScheme.ROUND); the file is damaged. Recreate the checkpoint with 'qat4j ptq' or "
                + "'qat4j qat'.", Cli.run("export", "--checkpoint", checkpoint.toString(), "--out",
                temp.resolve("m.q4j").toString()));
    }

    @Test
    void trainZeroImages() {
        assertUserError("qat4j train: --train-images 0 is invalid: use 1 to 60000",
                Cli.run("train", "--model", "mlp", "--train-images", "0", "--out", temp.toString(), "--data-dir", DATA));
    }

    @Test
    void trainDiverges() {
        assertUserError("qat4j train: mlp fp32: training diverged in epoch 1 (loss NaN); lower the learning rate "
                + "with --lr", Cli.run("train", "--model", "mlp", "--lr", "1e30", "--epochs", "1", "--train-images",
                "256", "--out", temp.toString(), "--data-dir", DATA));
    }

    @Test
    void reproduceNegativeSeed() {
        assertUserError("qat4j reproduce: --seeds -1 is invalid: use 0 or more",
                Cli.run("reproduce", "--seeds", "1,-1", "--out", temp.toString()));
    }

    @Test
    void qatZeroEpochs() {
        TrainedMlp mlp = TrainedMlp.get();

        assertUserError("qat4j qat: --epochs 0 is invalid: use 1 or more", Cli.run("qat", "--model", "mlp", "--epochs",
                "0", "--checkpoint", mlp.fp32Checkpoint.toString(), "--out", temp.toString(), "--data-dir", DATA));
    }
}
