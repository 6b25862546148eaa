package org.convene.meeting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Meetings with their agenda items and observer units. */
public final class MeetingDao {
    private final Handle h;

    public MeetingDao(Handle handle) {
        this.h = handle;
    }

    /** The fields a meeting is created or changed with. */
    public record Fields(long unitId, String title, MeetingKind kind, Instant startsAt, String zone, int durationMinutes,
                         String location, List<AgendaItem> agenda, List<Long> observerUnitIds, String theme, boolean recorded) {}

    public long insert(Fields f, Instant now) {
        return insert(f, now, null);
    }

    /** @param link the series occurrence the meeting stands for, or null for a one-off meeting */
    public long insert(Fields f, Instant now, SeriesLink link) {
        long id = h.createUpdate("""
                INSERT INTO meetings (unit_id, title, kind, starts_at, zone, duration_minutes, location, status, version, created_at, updated_at,
                                      theme, recorded, series_id, occurrence_date)
                VALUES (:unitId, :title, :kind, :startsAt, :zone, :duration, :location, :status, 1, :now, :now, :theme, :recorded, :seriesId, :occurrence)""")
                .bind("theme", f.theme()).bind("recorded", f.recorded() ? 1 : 0).bind("status", f.recorded() ? Meeting.HELD : Meeting.SCHEDULED)
                .bind("unitId", f.unitId()).bind("title", f.title()).bind("kind", f.kind().wire())
                .bind("startsAt", f.startsAt()).bind("zone", f.zone()).bind("duration", f.durationMinutes())
                .bind("location", f.location()).bind("now", now)
                .bind("seriesId", link == null ? null : link.seriesId())
                .bind("occurrence", link == null ? null : link.occurrenceDate().toString())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        writeAgenda(id, f.agenda());
        writeObservers(id, f.observerUnitIds());
        return id;
    }

    public void update(long id, Fields f, Instant now) {
        h.createUpdate("""
                UPDATE meetings SET title = :title, kind = :kind, starts_at = :startsAt, duration_minutes = :duration,
                  location = :location, theme = :theme, version = version + 1, updated_at = :now WHERE id = :id""")
                .bind("theme", f.theme())
                .bind("id", id).bind("title", f.title()).bind("kind", f.kind().wire()).bind("startsAt", f.startsAt())
                .bind("duration", f.durationMinutes()).bind("location", f.location()).bind("now", now).execute();
        h.createUpdate("DELETE FROM agenda_items WHERE meeting_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM meeting_observers WHERE meeting_id = :id").bind("id", id).execute();
        writeAgenda(id, f.agenda());
        writeObservers(id, f.observerUnitIds());
    }

    /** A meeting of a series changed by hand: re-making the series' occurrences leaves it alone from now on. */
    public void markSeriesException(long id) {
        h.createUpdate("UPDATE meetings SET series_exception = 1 WHERE id = :id AND series_id IS NOT NULL").bind("id", id).execute();
    }

    /** Back to scheduled; 0 when it was not cancelled (a second tap, or another secretary first). */
    public int reinstate(long id, Instant now) {
        return h.createUpdate("""
                UPDATE meetings SET status = 'scheduled', cancel_reason = NULL, version = version + 1, updated_at = :now
                WHERE id = :id AND status = 'cancelled'""").bind("id", id).bind("now", now).execute();
    }

    public void cancel(long id, String reason, Instant now) {
        h.createUpdate("""
                UPDATE meetings SET status = 'cancelled', cancel_reason = :reason, version = version + 1, updated_at = :now
                WHERE id = :id""").bind("id", id).bind("reason", reason).bind("now", now).execute();
    }

    private void writeAgenda(long meetingId, List<AgendaItem> agenda) {
        for (int i = 0; i < agenda.size(); i++) {
            AgendaItem item = agenda.get(i);
            h.createUpdate("""
                    INSERT INTO agenda_items (meeting_id, position, title, presenter, minutes)
                    VALUES (:meeting, :position, :title, :presenter, :minutes)""")
                    .bind("meeting", meetingId).bind("position", i).bind("title", item.title())
                    .bind("presenter", item.presenter()).bind("minutes", item.minutes()).execute();
        }
    }

    private void writeObservers(long meetingId, List<Long> unitIds) {
        for (long unitId : unitIds) {
            h.createUpdate("INSERT INTO meeting_observers (meeting_id, unit_id) VALUES (:m, :u)")
                    .bind("m", meetingId).bind("u", unitId).execute();
        }
    }

    public Optional<Meeting> find(long id) {
        return select("WHERE id = :id", Map.of("id", id)).stream().findFirst();
    }

    /**
     * The meeting without its agenda items (an empty agenda), for a member's answer: a press needs the
     * meeting's unit, times, state and observers, and reading the items was a query on every tap.
     */
    public Optional<Meeting> findForAnswer(long id) {
        return select("WHERE id = :id", Map.of("id", id), false).stream().findFirst();
    }

    public List<Meeting> list(List<Long> unitIds, Instant from, Instant to) {
        if (unitIds.isEmpty()) return List.of();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("from", from == null ? Long.MIN_VALUE : from.toEpochMilli());
        args.put("to", to == null ? Long.MAX_VALUE : to.toEpochMilli());
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < unitIds.size(); i++) {
            in.append(i == 0 ? "" : ",").append(":u").append(i);
            args.put("u" + i, unitIds.get(i));
        }
        return select("WHERE unit_id IN (" + in + ") AND starts_at >= :from AND starts_at < :to", args);
    }

    /** The next meeting of the unit that has not started and is not cancelled. */
    public Optional<Meeting> next(long unitId, Instant now) {
        return select("WHERE unit_id = :unit AND status = 'scheduled' AND starts_at >= :now", Map.of("unit", unitId, "now", now.toEpochMilli()))
                .stream().findFirst();
    }

    private List<Meeting> select(String where, Map<String, Object> args) {
        return select(where, args, true);
    }

    private List<Meeting> select(String where, Map<String, Object> args, boolean withAgenda) {
        // whether it has observers at all, with the row: most meetings have none, and their query was one per meeting read
        var query = h.createQuery("SELECT meetings.*, EXISTS (SELECT 1 FROM meeting_observers o WHERE o.meeting_id = meetings.id) AS observed FROM meetings "
                + where + " ORDER BY starts_at, id");
        args.forEach(query::bind);
        List<Object[]> rows = query.map((rs, ctx) -> new Object[] {
                rs.getLong("id"), rs.getLong("unit_id"), rs.getString("title"), rs.getString("kind"),
                Instant.ofEpochMilli(rs.getLong("starts_at")), rs.getString("zone"), rs.getInt("duration_minutes"),
                rs.getString("location"), rs.getString("status"), rs.getString("cancel_reason"), rs.getInt("version"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                rs.getString("theme"), rs.getInt("recorded") == 1, rs.getBoolean("observed")}).list();
        List<Meeting> meetings = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long id = (Long) r[0];
            meetings.add(new Meeting(id, (Long) r[1], (String) r[2], MeetingKind.parse((String) r[3]).orElse(MeetingKind.REGULAR),
                    (Instant) r[4], (String) r[5], (Integer) r[6], (String) r[7], (String) r[8], (String) r[9], (Integer) r[10],
                    withAgenda ? agenda(id) : List.of(), (Boolean) r[15] ? observers(id) : List.of(), (Instant) r[11], (Instant) r[12], (String) r[13], (Boolean) r[14]));
        }
        return meetings;
    }

    private List<AgendaItem> agenda(long meetingId) {
        return h.createQuery("SELECT title, presenter, minutes FROM agenda_items WHERE meeting_id = :id ORDER BY position")
                .bind("id", meetingId)
                .map((rs, ctx) -> new AgendaItem(rs.getString("title"), rs.getString("presenter"),
                        rs.getObject("minutes") == null ? null : rs.getInt("minutes")))
                .list();
    }

    private List<Long> observers(long meetingId) {
        return h.createQuery("SELECT unit_id FROM meeting_observers WHERE meeting_id = :id ORDER BY unit_id")
                .bind("id", meetingId).mapTo(Long.class).list();
    }
}
