package org.qat4j.experiments.training;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

import org.qat4j.autograd.nn.Sequential;
import org.qat4j.qat.QuantConfig;
import org.qat4j.qat.QuantModel;
import org.qat4j.qat.QuantScheme;
import org.qat4j.qat.RangeEstimatorType;
import org.qat4j.experiments.UserInputException;
import org.qat4j.experiments.results.AtomicFiles;

/**
 * A quantized model on disk: the module state ({@code NAME.ckpt}: weights, scales, zero points)
 * and beside it {@code NAME.ckpt.properties} with the model name and quantization config needed
 * to rebuild the module tree before the state is loaded.
 */
public final class QuantCheckpoint {

    private static final String SUFFIX = ".properties";

    private QuantCheckpoint() {
    }

    /** Writes the model state and its description; both files are replaced atomically. */
    public static void save(Path checkpoint, ModelKind kind, QuantConfig config, Sequential quantized)
            throws IOException {
        Properties properties = new Properties();
        properties.setProperty("model", kind.id());
        properties.setProperty("wbits", Integer.toString(config.weightBits()));
        properties.setProperty("abits", Integer.toString(config.activationBits()));
        properties.setProperty("perChannel", Boolean.toString(config.perChannel()));
        properties.setProperty("weightScheme", config.weightScheme().name());
        properties.setProperty("activationScheme", config.activationScheme().name());
        properties.setProperty("weightEstimator", config.weightEstimator().name());
        properties.setProperty("activationEstimator", config.activationEstimator().name());
        properties.setProperty("learnScale", Boolean.toString(config.learnScale()));
        properties.setProperty("learnOffset", Boolean.toString(config.learnOffset()));
        properties.setProperty("powerOfTwoScale", Boolean.toString(config.powerOfTwoScale()));

        quantized.save(checkpoint);
        Path description = descriptionOf(checkpoint);
        StringWriter text = new StringWriter();
        properties.store(text, "qat4j quantized checkpoint");
        AtomicFiles.writeString(description, text.toString());
    }

    /** A loaded quantized model with its frozen quantizers, the model kind and the config it was built with. */
    public record Loaded(ModelKind kind, QuantConfig config, Sequential model) {
    }

    /** Rebuilds the quantized model described beside {@code checkpoint} and loads its state. */
    public static Loaded load(Path checkpoint) throws IOException {
        Path description = descriptionOf(checkpoint);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(description, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new UserInputException(checkpoint + " is not a quantized checkpoint: " + description
                    + " is missing. Create one with 'qat4j ptq' or 'qat4j qat'.");
        }
        ModelKind kind;
        QuantConfig config;
        try {
            kind = ModelKind.parse(required(properties, "model", description));
            config = QuantConfig.defaults()
                    .withBits(Integer.parseInt(required(properties, "wbits", description)),
                            Integer.parseInt(required(properties, "abits", description)))
                    .withPerChannel(Boolean.parseBoolean(required(properties, "perChannel", description)))
                    .withSchemes(QuantScheme.valueOf(required(properties, "weightScheme", description)),
                            QuantScheme.valueOf(required(properties, "activationScheme", description)))
                    .withRangeEstimators(RangeEstimatorType.valueOf(required(properties, "weightEstimator", description)),
                            RangeEstimatorType.valueOf(required(properties, "activationEstimator", description)))
                    .withLearning(Boolean.parseBoolean(required(properties, "learnScale", description)),
                            Boolean.parseBoolean(required(properties, "learnOffset", description)))
                    .withPowerOfTwoScale(Boolean.parseBoolean(properties.getProperty("powerOfTwoScale", "false")));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(description + ": invalid value (" + e.getMessage() + "); the file is damaged. "
                    + "Recreate the checkpoint with 'qat4j ptq' or 'qat4j qat'.", e);
        }

        Sequential quantized = Quantization.prepare(kind.build(0), config);
        quantized.load(checkpoint);
        QuantModel.freeze(quantized);
        quantized.eval();
        return new Loaded(kind, config, quantized);
    }

    private static Path descriptionOf(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + SUFFIX);
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new UserInputException(file + ": the key '" + key + "' is missing; the file is damaged. "
                    + "Recreate the checkpoint with 'qat4j ptq' or 'qat4j qat'.");
        }
        return value;
    }
}
