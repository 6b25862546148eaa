package org.convene.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Telegram's side of a webhook: pushes updates to Convene over real HTTP/1.1 from a fixed number of
 * keep-alive connections at once (Telegram's {@code max_connections}, 40 by default), each sending its
 * next update as soon as the last one was answered, and times every round trip. It speaks just enough
 * HTTP by hand to stay cheap: it shares the machine with what it measures, and Telegram's own work
 * would not be on Convene's cores.
 */
final class WebhookPusher {
    /** What a push run did: answers with 200, other answers, the time from the first send to the last answer. */
    record Run(int ok, int failed, long firstSentNanos, long lastAnsweredNanos, Latencies latencies) {
        double seconds() {
            return Math.max(1e-3, (lastAnsweredNanos - firstSentNanos) / 1e9);
        }
    }

    private final URI url;
    private final String secret;
    private final int connections;

    WebhookPusher(String url, String secret, int connections) {
        this.url = URI.create(url);
        this.secret = secret;
        this.connections = connections;
    }

    /** Pushes updates {@code 0 … count-1}, made by {@code update}, and waits for every answer. */
    Run push(int count, IntFunction<String> update) throws InterruptedException {
        return run(count, update);
    }

    /**
     * {@code count} GETs of {@code path} on the same server from as many connections: the server's cheapest
     * request, the yardstick the pushes are measured against in the same run.
     */
    Run get(int count, String path) throws InterruptedException {
        return new WebhookPusher(url.resolve(path).toString(), null, connections).run(count, null);
    }

    /** Sends requests {@code 0 … count-1} (a POST of {@code update}'s body, or a GET when it is null) and waits for every answer. */
    private Run run(int count, IntFunction<String> update) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        Latencies latencies = new Latencies();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            senders.add(Thread.ofPlatform().name("telegram-push-" + c).start(() -> {
                Connection connection = null;
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    byte[] body = update == null ? null : update.apply(i).getBytes(StandardCharsets.UTF_8);
                    long started = System.nanoTime();
                    first.accumulateAndGet(started, Math::min);
                    try {
                        if (connection == null) connection = new Connection(url);
                        int status = connection.post(url.getRawPath(), secret, body);
                        long answered = System.nanoTime();
                        last.accumulateAndGet(answered, Math::max);
                        latencies.add(answered - started);
                        if (status == 200) ok.incrementAndGet();
                        else failed.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        if (connection != null) connection.close();
                        connection = null;
                    }
                }
                if (connection != null) connection.close();
            }));
        }
        for (Thread t : senders) t.join();
        return new Run(ok.get(), failed.get(), first.get(), last.get(), latencies);
    }

    /** One keep-alive HTTP/1.1 connection: a POST, then its answer read whole (Content-Length or chunked). */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        Connection(URI url) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            host = url.getHost() + ":" + url.getPort();
        }

        /** A POST of {@code body} with the webhook's secret, or a GET when {@code body} is null. */
        int post(String path, String secret, byte[] body) throws IOException {
            if (body == null) body = new byte[0];
            String head = secret == null ? "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
                    : "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "X-Telegram-Bot-Api-Secret-Token: " + secret + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
            out.flush();
            String status = line();
            if (status == null || !status.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP answer: " + status);
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header; !(header = line()).isEmpty(); ) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).strip());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().strip().split(";")[0], 16)) > 0; ) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            return code;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) throw new IOException("the answer ended early");
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    String s = bytes.toString(StandardCharsets.US_ASCII);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                bytes.write(b);
            }
            throw new IOException("the connection closed");
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we are done with
            }
        }
    }
}
