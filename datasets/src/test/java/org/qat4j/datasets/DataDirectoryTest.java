package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataDirectoryTest {

    private static final Path HOME = Path.of("/home/user");

    @Test
    void optionComesFirst() {
        Path resolved = DataDirectory.resolve(Optional.of(Path.of("/data/mnist")),
                Map.of("QAT4J_DATA", "/env/mnist", "XDG_CACHE_HOME", "/xdg"), HOME);

        assertEquals(Path.of("/data/mnist"), resolved);
    }

    @Test
    void environmentVariableComesSecond() {
        Path resolved = DataDirectory.resolve(Optional.empty(),
                Map.of("QAT4J_DATA", "/env/mnist", "XDG_CACHE_HOME", "/xdg"), HOME);

        assertEquals(Path.of("/env/mnist"), resolved);
    }

    @Test
    void xdgCacheHomeComesThird() {
        Path resolved = DataDirectory.resolve(Optional.empty(), Map.of("XDG_CACHE_HOME", "/xdg"), HOME);

        assertEquals(Path.of("/xdg/qat4j/mnist"), resolved);
    }

    @Test
    void homeCacheIsDefault() {
        assertEquals(Path.of("/home/user/.cache/qat4j/mnist"), DataDirectory.resolve(Optional.empty(), Map.of(), HOME));
    }

    @Test
    void relativeXdgCacheHomeIsIgnored() {
        Path resolved = DataDirectory.resolve(Optional.empty(), Map.of("XDG_CACHE_HOME", "cache"), HOME);

        assertEquals(Path.of("/home/user/.cache/qat4j/mnist"), resolved);
    }
}
