package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, read from {@code /proc/self/status} (Linux). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Returns the peak resident set size (VmHWM) in bytes, or 0 where /proc is missing. */
    public static long peakResidentBytes() {
        return statusField("VmHWM:");
    }

    /** Returns the current resident set size (VmRSS) in bytes, or 0 where /proc is missing. */
    public static long residentBytes() {
        return statusField("VmRSS:");
    }

    private static long statusField(String prefix) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(prefix)) {
                    return Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
