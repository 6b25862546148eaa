package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;
import org.convene.response.AttendanceService;
import org.convene.response.ResponseLedger;

/** Who came: pre-filled from the answers, one tap per member to correct, then confirm. */
final class AttendancePage {
    private final ApiServices s;
    private final Pages pages;

    AttendancePage(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    record Choice(String value, String label, boolean checked) {}

    record Row(long memberId, String name, String answer, List<Choice> choices, boolean confirmed) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/meetings/{id}/attendance", this::show);
        cfg.routes.post("/meetings/{id}/attendance", ctx -> {
            Meeting meeting = meeting(ctx);
            List<AttendanceService.Entry> entries = new ArrayList<>();
            for (AttendanceService.Row row : s.attendance().get(meeting.id())) {
                String status = ctx.formParam("status_" + row.memberId());
                entries.add(new AttendanceService.Entry(row.memberId(), status == null ? row.status() : status));
            }
            s.attendance().put(Pages.viewer(ctx).actor(), meeting.id(), entries);
            ctx.redirect("/meetings/" + meeting.id() + "/attendance?confirmed=1");
        });
    }

    private Meeting meeting(Context ctx) {
        Meeting meeting = s.meetings().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, meeting.unitId());
        return meeting;
    }

    private void show(Context ctx) {
        Meeting meeting = meeting(ctx);
        Unit unit = s.units().get(meeting.unitId());
        String lang = pages.lang(ctx, unit.locale());
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "attendance_title") + " · " + meeting.title());
        m.put("unit", unit);
        m.put("meeting", meeting);
        m.put("when", Pages.when(meeting, lang));
        new SeriesWords(pages).addTo(m, s.series(), meeting, lang);
        Map<Long, ResponseLedger.MemberAnswer> answers = new HashMap<>();
        s.responses().responses(meeting.id()).members().forEach(a -> answers.put(a.memberId(), a));
        List<Row> rows = new ArrayList<>();
        int present = 0;
        List<AttendanceService.Row> current = s.attendance().get(meeting.id());
        for (AttendanceService.Row r : current) {
            ResponseLedger.MemberAnswer a = answers.get(r.memberId());
            String answer = a == null || a.rsvp() == null ? pages.text(lang, "rsvp_none")
                    : pages.text(lang, "attendance_answered") + " " + pages.text(lang, "rsvp_" + a.rsvp())
                    + (a.reason() != null ? " — " + a.reason() : a.reasonCode() != null ? " — " + pages.text(lang, "reason_" + a.reasonCode()) : "");
            List<Choice> choices = List.of("present", "excused", "absent").stream()
                    .map(st -> new Choice(st, pages.text(lang, "att_" + st), st.equals(r.status()))).toList();
            rows.add(new Row(r.memberId(), r.name(), answer, choices, r.confirmed()));
            if (r.status().equals("present")) present++;
        }
        String state = s.followUp().state(meeting);
        m.put("rows", rows);
        m.put("state", state);
        m.put("stateLabel", pages.text(lang, "attendance_" + state));
        java.time.Instant opens = s.attendance().opensAt(meeting);
        boolean closed = s.clock().instant().isBefore(opens);
        m.put("notDue", state.equals("not-due") && !closed);
        m.put("notOpen", closed);
        if (closed) m.put("opensText", pages.text(lang, "attendance_opens", Pages.dateTime(opens, unit.zone(), lang)));
        m.put("confirmedAll", state.equals("confirmed"));
        m.put("count", pages.text(lang, "attendance_count", present, current.size()));
        m.put("countTemplate", pages.text(lang, "attendance_count"));
        m.put("membersWord", pages.text(lang, "word_" + unit.memberWord() + "_many"));
        m.put("justConfirmed", ctx.queryParam("confirmed") != null);
        pages.render(ctx, "attendance", m);
    }
}
