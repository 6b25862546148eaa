package org.convene.support;

import static org.convene.support.TestConvene.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code convene serve} as a process of its own on a free port, so that a test can kill it with SIGKILL
 * (no shutdown hook, no clean close) or run several nodes, each with its own JVM and its own Quartz.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Path log;
    private final Process process;
    public final int port;
    public final Http api;

    private ServiceProcess(Path log, Process process, int port, Http api) {
        this.log = log;
        this.process = process;
        this.port = port;
        this.api = api;
    }

    /**
     * Starts the service with the given CONVENE_* settings (none inherited), on {@code port} or a free one
     * when 0, and waits until it is healthy; its output goes to {@code log}.
     */
    public static ServiceProcess start(int port, String adminToken, Map<String, String> settings, Path log) {
        int actual = port != 0 ? port : freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.convene.app.Main", "serve");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CONVENE_"));
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("CONVENE_LOCAL_ENABLED", "true");
        all.put("CONVENE_HTTP_PORT", String.valueOf(actual));
        all.put("CONVENE_ADMIN_TOKEN", adminToken);
        env.putAll(all);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceProcess service = new ServiceProcess(log, process, actual, new Http("http://localhost:" + actual, adminToken));
        // a JVM starting with migrations and Quartz took 15–30 s on this machine under load: the bound is generous
        await("service healthy on port " + actual, Duration.ofSeconds(120), () -> {
            if (!process.isAlive()) throw new AssertionError("service died: " + service.log());
            try {
                return service.api.as(null).get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return service;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many of a meeting's deliveries are sent, as the API tells. */
    public static int sent(Http api, long meeting) {
        int n = 0;
        for (var d : api.get("/api/v1/meetings/" + meeting + "/deliveries").body()) if (d.get("state").asText().equals("sent")) n++;
        return n;
    }

    /** Messages beyond the first in local chats {@code prefix0 … prefix(n-1)}; fails if a chat got none. */
    public static int duplicatesInLocalChats(Http api, String prefix, int chats) {
        int duplicates = 0;
        for (int i = 0; i < chats; i++) {
            int got = api.get("/api/v1/local/chats/" + prefix + i + "/messages").body().size();
            if (got < 1) throw new AssertionError("chat " + prefix + i + " got nothing");
            duplicates += got - 1;
        }
        return duplicates;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
