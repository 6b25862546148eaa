package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.convene.schedule.CalendarFeed;
import org.convene.schedule.ReminderDao;

/**
 * A unit's meetings as a subscribable iCalendar feed at its secret address. Calendar apps send no
 * bearer token: the feed token in the path is the credential, so an unknown one is a plain 404.
 */
final class CalendarRoutes {
    /** How far back the feed reaches: members' calendars keep last season's meetings, not every year's. */
    private static final Duration PAST = Duration.ofDays(366);

    private final ApiServices s;

    CalendarRoutes(ApiServices services) {
        this.s = services;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/calendar/{file}", ctx -> {
            String file = ctx.pathParam("file");
            if (!file.endsWith(".ics")) throw ApiError.notFound("no such calendar");
            String token = file.substring(0, file.length() - 4);
            Unit unit = s.jdbi().withExtension(UnitDao.class, d -> d.findByFeedToken(token))
                    .orElseThrow(() -> ApiError.notFound("no such calendar"));
            Instant since = Instant.now(s.clock()).minus(PAST);
            String text = s.jdbi().withHandle(h -> {
                List<Meeting> meetings = new MeetingDao(h).list(List.of(unit.id()), since, null);
                ReminderDao reminders = h.attach(ReminderDao.class);
                return CalendarFeed.render(unit.name(), meetings.stream()
                        .map(m -> new CalendarFeed.Entry(m, reminders.ofMeeting(m.id()))).toList());
            });
            ctx.header("Cache-Control", "no-cache");
            ics(ctx, null, text);
        });
    }

    /** Sends iCalendar text; with a file name, as a download. */
    static void ics(Context ctx, String filename, String text) {
        ctx.contentType("text/calendar; charset=utf-8");
        if (filename != null) ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        ctx.result(text);
    }
}
