package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route that takes a JSON body, sent bodies of the wrong shape: the whole body, and each value at any
 * depth of a valid body replaced by null, a list, an object, numbers, strings and booleans. None may get a 5xx;
 * a refusal is the contract's error shape and changes nothing in the database.
 */
class BadBodiesTest {
    static TestConvene app;
    static long unit;
    static long otherUnit;
    static long meeting;
    /** The minutes' route replaces the decisions, and with them the tasks: it gets a meeting of its own. */
    static long minutesMeeting;
    static long member;
    static long series;
    static long task;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    record Route(String method, String path, JsonNode sample) {}

    @BeforeAll
    static void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ 1");
        otherUnit = app.unit("Chi bộ 2");
        member = app.member(unit, "Nguyễn Văn An", "an");
        app.localChat(unit, "c1");
        meeting = app.meeting(unit, "2026-12-05T19:30", null).get("id").asLong();
        series = app.api.post("/api/v1/series", Map.of("unitId", unit, "title", "Sinh hoạt", "rrule", "FREQ=MONTHLY;BYMONTHDAY=5",
                "startDate", "2027-01-01", "startTime", "19:30")).body().get("id").asLong();
        minutesMeeting = app.meeting(unit, "2026-12-06T19:30", null).get("id").asLong();
        app.api.put("/api/v1/meetings/" + meeting + "/minutes", Map.of("text", "Biên bản",
                "decisions", List.of(Map.of("text", "Viết bài", "assigneeMemberId", member))));
        task = app.api.get("/api/v1/units/" + unit + "/tasks").body().get(0).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static List<Route> routes() {
        String m = "/api/v1/meetings/" + meeting;
        String u = "/api/v1/units/" + unit;
        return List.of(
                new Route("POST", "/api/v1/units", json(Map.of("name", "Chi bộ mới", "parentId", unit, "timezone", "Asia/Ho_Chi_Minh", "locale", "vi"))),
                new Route("PATCH", u, json(Map.of("name", "Chi bộ 1", "timezone", "Asia/Ho_Chi_Minh", "locale", "vi", "showNamesInGroup", true))),
                new Route("POST", u + "/tokens", json(Map.of("role", "secretary", "label", "bí thư"))),
                new Route("POST", u + "/members", json(Map.of("name", "Trần Thị Bình", "role", "member", "phone", "0901234567",
                        "telegramUserId", "42", "zaloUserId", "77", "localUserId", "binh"))),
                new Route("POST", u + "/chats", json(Map.of("platform", "local", "chatId", "c9", "title", "Nhóm"))),
                new Route("POST", u + "/topics", json(Map.of("title", "Nghị quyết", "quarter", "2026-Q4", "materials", List.of(), "unitIds", List.of(unit)))),
                new Route("POST", "/api/v1/meetings", json(meetingBody(true))),
                new Route("PATCH", m, json(meetingBody(false))),
                new Route("POST", m + "/responses", json(Map.of("memberId", member, "rsvp", "no", "reason", "ốm", "reasonCode", "sick"))),
                new Route("PUT", m + "/attendance", json(List.of(Map.of("memberId", member, "status", "present")))),
                new Route("POST", m + "/experience-session", json(Map.of("unitId", unit, "title", "Chia sẻ", "startsAt", "2026-12-20T19:30",
                        "durationMinutes", 60, "location", "Hội trường"))),
                new Route("PUT", "/api/v1/meetings/" + minutesMeeting + "/minutes", json(Map.of("text", "Biên bản", "decisions",
                        List.of(Map.of("text", "Làm báo cáo", "assigneeMemberId", member, "due", "2026-12-31"))))),
                new Route("POST", m + "/products", json(Map.of("kind", "article", "title", "Bài viết", "url", "https://example.org/a"))),
                new Route("PATCH", "/api/v1/tasks/" + task, json(Map.of("state", "done"))),
                new Route("POST", "/api/v1/series", json(seriesBody(true))),
                new Route("PATCH", "/api/v1/series/" + series, json(seriesBody(false))),
                new Route("POST", "/api/v1/series/" + series + "/end", json(Map.of("until", "2027-12-31"))),
                new Route("POST", "/api/v1/local/chats/c1/say", json(Map.of("userId", "an", "userName", "An", "text", "có", "replyToMessageId", 1))),
                new Route("POST", "/api/v1/local/chats/c1/press", json(Map.of("messageId", 1, "buttonId", "x", "userId", "an", "userName", "An"))),
                // cancel last: once the meeting is cancelled the routes above may refuse for that reason too
                new Route("POST", m + "/cancel", json(Map.of("reason", "bão"))));
    }

    private static Map<String, Object> meetingBody(boolean withUnit) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (withUnit) body.put("unitId", unit);
        body.put("title", "Họp chi bộ");
        body.put("kind", "regular");
        body.put("startsAt", "2026-12-12T19:30");
        body.put("durationMinutes", 90);
        body.put("location", "Nhà văn hoá");
        body.put("agenda", List.of(Map.of("title", "Báo cáo", "presenter", "An", "minutes", 10)));
        body.put("reminders", List.of("P1D", Map.of("offset", "PT2H", "kind", "reminder")));
        body.put("observerUnitIds", List.of(otherUnit));
        return body;
    }

    private static Map<String, Object> seriesBody(boolean create) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (create) {
            body.put("unitId", unit);
            body.put("startDate", "2027-01-01");
        } else {
            body.put("from", "2027-03-01");
        }
        body.put("title", "Sinh hoạt định kỳ");
        body.put("rrule", "FREQ=MONTHLY;BYMONTHDAY=5");
        body.put("startTime", "19:30");
        body.put("durationMinutes", 90);
        body.put("holidayPolicy", "next-day");
        body.put("reminders", List.of("P1D"));
        body.put("agenda", List.of(Map.of("title", "Báo cáo")));
        body.put("kind", "regular");
        return body;
    }

    @Test
    void a_body_that_is_not_an_object_is_refused_with_400_or_422_and_changes_nothing() {
        SoftAssertions soft = new SoftAssertions();
        for (Route route : routes()) {
            for (String body : List.of("null", "[]", "1", "-2.5", "\"text\"", "true", "[null]", "[1,2]", "{}x")) {
                if (route.sample().isArray() && body.equals("[]")) continue; // an empty attendance list is a valid no-op
                Map<String, Long> before = fingerprint();
                Http.Reply r = send(route, body);
                soft.assertThat(r.status()).as(route.method() + " " + route.path() + " " + body).isIn(400, 422);
                soft.assertThat(r.errorCode()).as(route.method() + " " + route.path() + " " + body + " error shape: " + r.text()).isNotNull();
                soft.assertThat(fingerprint()).as(route.method() + " " + route.path() + " " + body + " changed nothing").isEqualTo(before);
            }
        }
        soft.assertAll();
    }

    @Test
    void a_wrong_type_at_any_depth_never_gets_a_5xx_and_a_refusal_changes_nothing() {
        SoftAssertions soft = new SoftAssertions();
        int sent = 0;
        for (Route route : routes()) {
            for (JsonNode mutated : mutations(route.sample())) {
                Map<String, Long> before = fingerprint();
                Http.Reply r = send(route, mutated.toString());
                sent++;
                String what = route.method() + " " + route.path() + " " + mutated;
                soft.assertThat(r.status()).as(what + " → " + r.text()).isLessThan(500);
                if (r.status() >= 400) {
                    soft.assertThat(r.errorCode()).as(what + " error shape: " + r.text()).isNotNull();
                    soft.assertThat(fingerprint()).as(what + " changed nothing").isEqualTo(before);
                }
            }
        }
        soft.assertAll();
        assertThat(sent).isGreaterThan(500);
    }

    @Test
    void an_unknown_path_gets_the_json_404_and_a_wrong_method_the_json_405() {
        for (String path : List.of("/nowhere", "/api/v1/nowhere", "/api/v1/units/" + unit + "/nowhere")) {
            Http.Reply r = app.api.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.contentType()).as(path).startsWith("application/json");
            assertThat(r.errorCode()).as(path).isEqualTo("not_found");
        }
        Http.Reply r = app.api.put("/api/v1/units", Map.of("name", "x"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.errorCode()).isEqualTo("method_not_allowed");
        Http.Reply put = app.api.put("/api/v1/meetings/" + meeting + "/cancel", Map.of());
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.errorCode()).isEqualTo("method_not_allowed");
    }

    /** Each value of the tree (and each whole list or object) replaced in turn by each wrong value. */
    static List<JsonNode> mutations(JsonNode sample) {
        List<JsonNode> bad = List.of(F.nullNode(), F.arrayNode(), F.objectNode(), F.numberNode(1), F.numberNode(-1L << 40),
                F.numberNode(1.5e300), F.textNode("x"), F.textNode(""), F.booleanNode(true), F.arrayNode().addNull(),
                F.arrayNode().add(F.objectNode()));
        List<JsonNode> out = new ArrayList<>();
        for (List<Object> path : paths(sample, new ArrayList<>())) {
            for (JsonNode value : bad) out.add(replaced(sample, path, value));
        }
        return out;
    }

    private static List<List<Object>> paths(JsonNode node, List<Object> prefix) {
        List<List<Object>> out = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                List<Object> p = new ArrayList<>(prefix);
                p.add(name);
                out.add(p);
                out.addAll(paths(node.get(name), p));
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(i);
                out.add(p);
                out.addAll(paths(node.get(i), p));
            }
        }
        return out;
    }

    private static JsonNode replaced(JsonNode sample, List<Object> path, JsonNode value) {
        JsonNode copy = sample.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < path.size() - 1; i++) {
            parent = path.get(i) instanceof Integer idx ? parent.get(idx) : parent.get((String) path.get(i));
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer idx) ((ArrayNode) parent).set(idx, value);
        else ((ObjectNode) parent).set((String) last, value);
        return copy;
    }

    private static Http.Reply send(Route route, String body) {
        return switch (route.method()) {
            case "POST" -> app.api.post(route.path(), body);
            case "PATCH" -> app.api.patch(route.path(), body);
            case "PUT" -> app.api.put(route.path(), body);
            default -> throw new IllegalArgumentException(route.method());
        };
    }

    /** Rows per table of the service's own (the scheduler's tables change on their own). */
    static Map<String, Long> fingerprint() {
        return app.convene.services().database().jdbi().withHandle(h -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'qrtz%' "
                    + "AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'flyway%' AND name NOT IN ('leases') ORDER BY name").mapTo(String.class).list()) {
                counts.put(table, h.createQuery("SELECT COUNT(*) FROM \"" + table + "\"").mapTo(Long.class).one());
            }
            return counts;
        });
    }

    private static JsonNode json(Object value) {
        return Http.JSON.valueToTree(value);
    }
}
