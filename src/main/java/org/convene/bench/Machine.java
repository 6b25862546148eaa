package org.convene.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a figure was measured on: benchmark numbers mean little without it, so every JSON line
 * carries it.
 *
 * @param memoryMb physical memory (MemTotal of /proc/meminfo), or the JVM's view when /proc is absent
 */
public record Machine(int cores, long memoryMb, String jdk, String cpu) {

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readMemoryMb(), System.getProperty("java.vm.vendor", "") + " "
                + Runtime.version(), readCpuModel());
    }

    private static String readCpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static long readMemoryMb() {
        return procLine(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024)
                .orElse(Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    /** The value after the colon of the first line that starts with {@code key}. */
    static java.util.Optional<String> procLine(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(key)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
