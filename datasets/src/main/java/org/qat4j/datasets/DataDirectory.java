package org.qat4j.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the directory that contains the MNIST files: the {@code --data-dir} option when given,
 * else the environment variable {@code QAT4J_DATA}, else the per-user cache directory
 * {@code $XDG_CACHE_HOME/qat4j/mnist}, or {@code ~/.cache/qat4j/mnist} when
 * {@code XDG_CACHE_HOME} is unset.
 */
public final class DataDirectory {

    public static final String ENVIRONMENT_VARIABLE = "QAT4J_DATA";

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private DataDirectory() {
    }

    /** Resolves the directory from the option, this process's environment and home directory. */
    public static Path resolve(Optional<Path> option) {
        return resolve(option, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** Resolves the directory from the option, the given environment and home directory. */
    public static Path resolve(Optional<Path> option, Map<String, String> environment, Path home) {
        if (option.isPresent()) {
            return option.get().toAbsolutePath();
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment).toAbsolutePath();
        }
        String cacheHome = environment.get("XDG_CACHE_HOME");
        // The XDG base directory rules ignore a relative XDG_CACHE_HOME.
        Path cache = cacheHome != null && Path.of(cacheHome).isAbsolute()
                ? Path.of(cacheHome)
                : home.resolve(".cache");
        return cache.resolve("qat4j").resolve("mnist").toAbsolutePath();
    }

    /**
     * Creates {@code directory} (and its parents) when it does not exist.
     *
     * @throws DatasetException when the path exists but is not a directory, or cannot be created
     */
    public static Path prepare(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new DatasetException("Data directory " + directory + " is not a directory: give --data-dir"
                    + " (or " + ENVIRONMENT_VARIABLE + ") a directory, which is created when missing.");
        }
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory);
                log.info("Created data directory {}", directory);
            } catch (IOException e) {
                throw new DatasetException("Cannot create data directory " + directory + " (" + e
                        + "): give --data-dir (or " + ENVIRONMENT_VARIABLE + ") a directory you can write to.", e);
            }
        }
        return directory;
    }
}
