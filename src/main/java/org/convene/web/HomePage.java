package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.convene.delivery.Delivery;
import org.convene.delivery.DeliveryDao;
import org.convene.meeting.Chat;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;
import org.convene.response.AttendanceReport;
import org.convene.schedule.Reminder;
import org.convene.schedule.ReminderDao;

/** Home: my units, the next meetings, and what needs attention now. */
final class HomePage {
    /** How far back the home page looks for trouble: older failures are history, not work. */
    private static final Duration LOOK_BACK = Duration.ofDays(14);
    private static final int MAX_UNITS = 40;

    private final ApiServices s;
    private final Pages pages;

    HomePage(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    record UnitLink(long id, String name, String url, boolean top) {}

    record MeetingLine(long id, String title, String when, String unit, String url, String editUrl, boolean cancelled) {}

    record Attention(String kind, String text, String url, String action) {}

    record PlatformNotice(String key, String text) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/", this::home);
    }

    private void home(Context ctx) {
        SignIn.Viewer viewer = Pages.viewer(ctx);
        List<Unit> units = s.units().all().stream().filter(u -> viewer.canSee(u.id())).toList();
        Map<Long, Unit> byId = units.stream().collect(Collectors.toMap(Unit::id, u -> u));
        List<Unit> tops = units.stream().filter(u -> u.parentId() == null || !byId.containsKey(u.parentId())).toList();
        String lang = pages.lang(ctx, tops.isEmpty() ? "vi" : tops.get(0).locale());
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "home_title"));
        m.put("units", units.stream().limit(MAX_UNITS).map(u -> new UnitLink(u.id(), u.name(), "/units/" + u.id(), tops.contains(u))).toList());
        if (units.size() > MAX_UNITS) m.put("moreUnits", pages.text(lang, "home_more_units", units.size() - MAX_UNITS));

        Instant now = s.clock().instant();
        List<Long> ids = units.stream().map(Unit::id).toList();
        List<MeetingLine> next = s.meetings().list(ids, now.minus(Duration.ofHours(3)), now.plus(Duration.ofDays(60))).stream()
                .filter(x -> !x.cancelled() && x.startsAt().plus(Duration.ofMinutes(x.durationMinutes())).isAfter(now))
                .limit(8).map(x -> line(x, byId, lang)).toList();
        m.put("meetings", next);
        m.put("hasMeetings", !next.isEmpty());
        List<Attention> attention = ids.isEmpty() ? List.of() : attention(viewer.caller(), ids, byId, tops, now, lang);
        m.put("attention", attention);
        m.put("hasAttention", !attention.isEmpty());
        List<PlatformNotice> notices = platformNotices(lang);
        m.put("platformNotices", notices);
        m.put("hasPlatformNotices", !notices.isEmpty());
        pages.render(ctx, "home", m);
    }

    /** What the chat platforms say needs the operator (a bot that cannot join groups, a refused token, an ageing refresh token). */
    private List<PlatformNotice> platformNotices(String lang) {
        List<PlatformNotice> out = new ArrayList<>();
        for (String name : s.platforms().names()) {
            for (var notice : s.platforms().get(name).orElseThrow().notices()) {
                out.add(new PlatformNotice(notice.key(), pages.text(lang, "notice_" + notice.key(), notice.args().toArray())));
            }
        }
        return out;
    }

    private MeetingLine line(Meeting x, Map<Long, Unit> units, String lang) {
        return new MeetingLine(x.id(), x.title(), Pages.when(x, lang), units.get(x.unitId()).name(), "/meetings/" + x.id(),
                "/meetings/" + x.id() + "/edit", x.cancelled());
    }

    /** Failed deliveries, missed reminders, unconfirmed attendance (overdue first) and units below the target. */
    private List<Attention> attention(org.convene.meeting.Caller caller, List<Long> ids, Map<Long, Unit> units, List<Unit> tops, Instant now, String lang) {
        List<Attention> out = new ArrayList<>();
        Instant since = now.minus(LOOK_BACK);
        Map<Long, Meeting> meetings = new HashMap<>();
        Map<Long, String> chatTitles = new HashMap<>();
        for (Delivery d : s.jdbi().withExtension(DeliveryDao.class, dao -> dao.failedOfUnits(ids, since))) {
            Meeting meeting = meetings.computeIfAbsent(d.meetingId(), s.meetings()::get);
            String chat = chatTitles.computeIfAbsent(d.chatId(), id -> chatTitle(meeting.unitId(), id));
            out.add(new Attention("failed", pages.text(lang, "attention_failed", chat, meeting.title(), d.lastError() == null ? "" : d.lastError()),
                    "/meetings/" + meeting.id(), pages.text(lang, "attention_open")));
        }
        for (Reminder r : s.jdbi().withExtension(ReminderDao.class, dao -> dao.missedOfUnits(ids, since))) {
            Meeting meeting = meetings.computeIfAbsent(r.meetingId(), s.meetings()::get);
            out.add(new Attention("missed", pages.text(lang, "attention_missed", meeting.title(),
                    Pages.dateTime(r.dueAt(), ZoneId.of(meeting.zone()), lang)), "/meetings/" + meeting.id(), pages.text(lang, "attention_open")));
        }
        List<Meeting> ended = s.meetings().list(ids, since, now).stream().filter(x -> !x.cancelled()).toList();
        for (String state : List.of("overdue", "pending")) {
            for (Meeting x : ended) {
                if (!s.followUp().state(x).equals(state)) continue;
                out.add(new Attention(state, pages.text(lang, "attention_" + state, x.title(), Pages.when(x, lang)),
                        "/meetings/" + x.id() + "/attendance", pages.text(lang, "attention_confirm")));
            }
        }
        Set<Long> seen = new java.util.HashSet<>();
        for (Unit top : tops) {
            ZoneId zone = top.zone();
            YearMonth month = YearMonth.from(now.atZone(zone));
            AttendanceReport report = s.reports().attendance(caller, top, month.atDay(1).atStartOfDay(zone).toInstant(), now);
            for (AttendanceReport.UnitRow row : report.units()) {
                // a unit moved away this month still has its row in the old parent's figures, but is no longer this viewer's to act on
                if (!row.period().equals(month.toString()) || !row.belowTarget() || !caller.reaches(row.unitId()) || !seen.add(row.unitId())) continue;
                out.add(new Attention("below", pages.text(lang, "attention_below", row.name(), percent(row.rate()), percent(report.target())),
                        "/units/" + row.unitId() + "/reports", pages.text(lang, "attention_report")));
            }
        }
        return out;
    }

    private String chatTitle(long unitId, long chatId) {
        return s.chats().ofUnit(unitId).stream().filter(c -> c.id() == chatId).findFirst()
                .map(c -> c.title() != null ? c.title() : c.platform() + ":" + c.platformChatId()).orElse("#" + chatId);
    }

    static String percent(Double rate) {
        return rate == null ? "–" : Math.round(rate * 100) + "%";
    }

    static String chatName(Chat c) {
        return c.title() != null ? c.title() : c.platform() + ":" + c.platformChatId();
    }
}
