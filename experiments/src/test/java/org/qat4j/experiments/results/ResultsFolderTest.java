package org.qat4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFolderTest {

    @TempDir
    Path dir;

    @Test
    void createsFolderAndLeavesNoProbe() throws Exception {
        Path results = dir.resolve("a").resolve("results");

        ResultsFolder folder = ResultsFolder.openForWriting(results);

        assertTrue(Files.isDirectory(results));
        assertEquals(results.resolve("runs.csv"), folder.runsCsv());
        try (Stream<Path> files = Files.list(results)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void parentThatIsFileRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");

        ResultsFileException error = assertThrows(ResultsFileException.class,
                () -> ResultsFolder.openForWriting(file.resolve("results")));

        assertTrue(error.getMessage().contains(file.resolve("results").toString()), error.getMessage());
        assertTrue(error.getMessage().contains("--out"), error.getMessage());
    }

    @Test
    void readOnlyFolderRejected() throws Exception {
        // Permission bits do not stop root from writing.
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root");
        Path results = Files.createDirectory(dir.resolve("results"));
        Files.setPosixFilePermissions(results, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            ResultsFileException error = assertThrows(ResultsFileException.class, () -> ResultsFolder.openForWriting(results));

            assertTrue(error.getMessage().contains("is not writable"), error.getMessage());
        } finally {
            Files.setPosixFilePermissions(results, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
