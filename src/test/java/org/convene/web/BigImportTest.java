package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.web.ApiErrorsTest.assertError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The largest import allowed leaves the writer to others between its chunks; a larger one is refused before it starts. */
class BigImportTest {
    TestConvene app;

    @BeforeEach
    void start() {
        app = TestConvene.start();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    static String roster(int rows) {
        StringBuilder csv = new StringBuilder("name,role,phone,telegramUserId\n");
        for (int i = 0; i < rows; i++) csv.append("Đảng viên ").append(i).append(",member,09").append(String.format("%08d", i)).append(",\n");
        return csv.toString();
    }

    /** The import's own call, allowed far longer than the test client's 30 s: a loaded machine imports slowly. */
    private int slowImport(long unit, String csv) {
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder().readTimeout(java.time.Duration.ofMinutes(5)).build();
        okhttp3.Request request = new okhttp3.Request.Builder().url("http://localhost:" + app.convene.port() + "/api/v1/units/" + unit + "/members/import")
                .header("Authorization", "Bearer " + TestConvene.ADMIN)
                .post(okhttp3.RequestBody.create(csv, okhttp3.MediaType.get("text/csv"))).build();
        try (okhttp3.Response response = client.newCall(request).execute()) {
            return response.code();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void an_import_over_the_default_5000_rows_is_413_naming_the_limit_and_stores_nothing() {
        long unit = app.unit("Chi bộ lớn");

        Http.Reply r = app.api.postRaw("/api/v1/units/" + unit + "/members/import", roster(5001), "text/csv");

        assertError(r, 413, "too_large");
        assertThat(r.body().at("/error/message").asText()).contains("5000", "limits.importRows");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).isEmpty();
    }

    @Test
    void the_row_limit_is_the_operators_to_change() {
        try (TestConvene small = TestConvene.start(Map.of("CONVENE_LIMITS_IMPORT_ROWS", "10"))) {
            long unit = small.unit("Chi bộ nhỏ");
            assertError(small.api.postRaw("/api/v1/units/" + unit + "/members/import", roster(11), "text/csv"), 413, "too_large");
            Http.Reply ok = small.api.postRaw("/api/v1/units/" + unit + "/members/import", roster(10), "text/csv");
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            assertThat(ok.body().get("created").asInt()).isEqualTo(10);
        }
    }

    @Test
    void another_units_rsvp_is_answered_within_a_second_while_the_largest_import_runs() {
        long big = app.unit("Chi bộ lớn");
        long other = app.unit("Chi bộ khác");
        long member = app.member(other, "Nguyễn Văn An", null);
        long meeting = app.meeting(other, "2026-12-05T19:30", null).get("id").asLong();
        String roster = roster(5000);
        // one RSVP before, so that what is measured is waiting for the writer, not the first call's warm-up
        assertThat(app.api.post("/api/v1/meetings/" + meeting + "/responses", Map.of("memberId", member, "rsvp", "yes")).status()).isEqualTo(201);

        long started = System.nanoTime();
        CompletableFuture<Integer> imported = CompletableFuture.supplyAsync(() -> slowImport(big, roster));
        List<Long> latenciesMs = new ArrayList<>();
        int i = 0;
        while (!imported.isDone()) {
            long t0 = System.nanoTime();
            Http.Reply r = app.api.post("/api/v1/meetings/" + meeting + "/responses",
                    Map.of("memberId", member, "rsvp", i++ % 2 == 0 ? "yes" : "no", "reason", "đi công tác"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            if (!imported.isDone()) latenciesMs.add(ms);
        }
        long importMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(imported.join()).isEqualTo(200);
        assertThat(app.api.get("/api/v1/units/" + big + "/members").body()).hasSize(5000);
        System.out.println("5,000-row import took " + importMs + " ms; " + latenciesMs.size() + " RSVPs meanwhile, slowest "
                + latenciesMs.stream().mapToLong(Long::longValue).max().orElse(0) + " ms; all: " + latenciesMs);
        assertThat(latenciesMs).as("RSVPs answered while the import ran").hasSizeGreaterThanOrEqualTo(3);
        assertThat(latenciesMs).as("each RSVP's latency in ms during a %d ms import", importMs).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
    }
}
