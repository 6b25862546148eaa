package org.convene.meeting;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.meeting.Requests.MeetingRequest;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Scheduling, changing and cancelling meetings; reminders are planned by the hooks in the same transaction. */
public final class MeetingService {
    private static final int DEFAULT_DURATION = 120;

    private final Jdbi jdbi;
    private final Clock clock;
    private final MeetingHooks hooks;
    private final Quotas quotas;

    public MeetingService(Jdbi jdbi, Clock clock, MeetingHooks hooks) {
        this(jdbi, clock, hooks, Quotas.GENEROUS);
    }

    public MeetingService(Jdbi jdbi, Clock clock, MeetingHooks hooks, Quotas quotas) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.hooks = hooks;
        this.quotas = quotas;
    }

    public Quotas quotas() {
        return quotas;
    }

    public Meeting create(String actor, MeetingRequest r) {
        if (r.unitId() == null) throw new ConveneException.Invalid("unitId", "is required");
        return jdbi.inTransaction(h -> create(h, actor, r, null));
    }

    /** A meeting asked for by a caller: its unit and every observer unit it invites must be in the caller's reach. */
    public Meeting create(Caller caller, MeetingRequest r) {
        if (r.unitId() == null) throw new ConveneException.Invalid("unitId", "is required");
        caller.requireReach(r.unitId(), "unitId");
        requireObserversInReach(caller, r.observerUnitIds(), List.of());
        return create(caller.actor(), r);
    }

    /** A change asked for by a caller: a new observer unit must be in its reach; those invited before may stay. */
    public Meeting change(Caller caller, long id, MeetingRequest r) {
        Meeting before = get(id);
        caller.requireReach(before.unitId(), "meeting");
        requireObserversInReach(caller, r.observerUnitIds(), before.observerUnitIds());
        return change(caller.actor(), id, r);
    }

    /**
     * An observer unit sees the meeting's members by name, has its answers recorded by the meeting's
     * secretary and gets the agenda in its own groups: only a unit the caller reaches may be invited.
     */
    private static void requireObserversInReach(Caller caller, List<Long> observers, List<Long> already) {
        if (observers == null) return;
        for (Long observer : observers) {
            if (observer != null && !already.contains(observer) && !caller.reaches(observer)) {
                throw new ConveneException.NotAllowed("observerUnitIds: unit " + observer + " is out of this caller's reach");
            }
        }
    }

    /** Creates a meeting inside the caller's transaction; {@code link} ties it to a series occurrence, or is null. */
    public Meeting create(Handle h, String actor, MeetingRequest r, SeriesLink link) {
        if (r.unitId() == null) throw new ConveneException.Invalid("unitId", "is required");
        Unit unit = h.attach(UnitDao.class).find(r.unitId()).orElseThrow(() -> new ConveneException.NotFound("unit", r.unitId()));
        MeetingDao.Fields fields = validate(h, unit, r, null);
        Instant now = clock.instant();
        if (link == null) requireDailyQuota(h, unit.id(), now); // counted, but a series is never stopped half-made
        long id = new MeetingDao(h).insert(fields, now, link);
        if (!fields.recorded()) TopicService.placePending(h, new MeetingDao(h).find(id).orElseThrow());
        Meeting meeting = new MeetingDao(h).find(id).orElseThrow();
        if (!meeting.recorded()) hooks.created(h, meeting, r.reminders());
        AuditLog.record(h, now, actor, "meeting.created", "meeting", id, meeting.title());
        return meeting;
    }

    /** 429 once the unit has made {@code meetingsPerDay} meetings in the last 24 hours (its series' included). */
    private void requireDailyQuota(Handle h, long unitId, Instant now) {
        Instant since = now.minus(java.time.Duration.ofDays(1));
        List<Instant> recent = h.createQuery("SELECT created_at FROM meetings WHERE unit_id = :unit AND created_at > :since ORDER BY created_at")
                .bind("unit", unitId).bind("since", since).mapTo(Instant.class).list();
        if (recent.size() >= quotas.meetingsPerDay()) {
            Instant freed = recent.get(recent.size() - quotas.meetingsPerDay()).plus(java.time.Duration.ofDays(1));
            throw new ConveneException.TooMany("unit " + unitId + " made " + recent.size() + " meetings in the last 24 hours, the limit"
                    + " (limits.meetingsPerDay = " + quotas.meetingsPerDay() + ")", java.time.Duration.between(now, freed));
        }
    }

    /** Checks a request as {@link #create} would, inside {@code h}, storing nothing; throws {@link ConveneException.Invalid}. */
    public void check(Handle h, MeetingRequest r) {
        if (r.unitId() == null) throw new ConveneException.Invalid("unitId", "is required");
        Unit unit = h.attach(UnitDao.class).find(r.unitId()).orElseThrow(() -> new ConveneException.NotFound("unit", r.unitId()));
        validate(h, unit, r, null);
    }

    /**
     * After a pilot meeting, an experience-sharing session for the units that observed it (and the pilot
     * unit itself), hosted by {@code hostUnitId}: an ordinary meeting with them as observers.
     */
    public Meeting experienceSession(Caller caller, long pilotId, long hostUnitId, String title, String startsAt, Integer durationMinutes,
                                     String location) {
        Meeting pilot = get(pilotId);
        caller.requireReach(pilot.unitId(), "meeting");
        caller.requireReach(hostUnitId, "unitId");
        if (pilot.kind() != MeetingKind.PILOT) throw new ConveneException.Conflict("meeting " + pilotId + " is not a pilot meeting");
        if (pilot.observerUnitIds().isEmpty()) throw new ConveneException.Conflict("pilot meeting " + pilotId + " had no observers");
        java.util.LinkedHashSet<Long> guests = new java.util.LinkedHashSet<>(pilot.observerUnitIds());
        guests.add(pilot.unitId());
        guests.remove(hostUnitId);
        // the guests are invited by this caller now, whoever invited them to the pilot
        for (long guest : guests) caller.requireReach(guest, "guests");
        String name = title != null ? title : "Trao đổi kinh nghiệm: " + pilot.title();
        return create(caller.actor(), new MeetingRequest(hostUnitId, name, MeetingKind.REGULAR.wire(), startsAt, durationMinutes, location,
                List.of(new AgendaItem("Trao đổi kinh nghiệm sau buổi sinh hoạt mẫu \"" + pilot.title() + "\"", null, null)), null,
                List.copyOf(guests)));
    }

    public Meeting get(long id) {
        return jdbi.withHandle(h -> new MeetingDao(h).find(id)).orElseThrow(() -> new ConveneException.NotFound("meeting", id));
    }

    public List<Meeting> list(List<Long> unitIds, Instant from, Instant to) {
        return jdbi.withHandle(h -> new MeetingDao(h).list(unitIds, from, to));
    }

    /** Applies the fields present in {@code r}; a cancelled meeting cannot change (409). */
    public Meeting change(String actor, long id, MeetingRequest r) {
        return jdbi.inTransaction(h -> change(h, actor, id, r, true));
    }

    /**
     * Applies the fields present in {@code r} inside the caller's transaction. A change {@code byHand} to
     * a meeting of a series marks it as an exception, which the series then leaves alone; the series'
     * own re-making of its occurrences passes false.
     */
    public Meeting change(Handle h, String actor, long id, MeetingRequest r, boolean byHand) {
        MeetingDao meetings = new MeetingDao(h);
        Meeting before = meetings.find(id).orElseThrow(() -> new ConveneException.NotFound("meeting", id));
        if (before.cancelled()) throw new ConveneException.Conflict("meeting " + id + " is cancelled", "meeting_cancelled");
        if (r.unitId() != null && r.unitId() != before.unitId()) throw new ConveneException.Invalid("unitId", "a meeting cannot move to another unit");
        Unit unit = h.attach(UnitDao.class).find(before.unitId()).orElseThrow();
        MeetingDao.Fields fields = validate(h, unit, r, before);
        Instant now = clock.instant();
        meetings.update(id, fields, now);
        if (byHand) meetings.markSeriesException(id);
        Meeting after = meetings.find(id).orElseThrow();
        hooks.changed(h, before, after, r.reminders());
        AuditLog.record(h, now, actor, "meeting.changed", "meeting", id, describeChange(before, after));
        return after;
    }

    public Meeting cancel(String actor, long id, String reason) {
        return jdbi.inTransaction(h -> cancel(h, actor, id, reason));
    }

    /** Cancels inside the caller's transaction; a cancelled meeting cannot be cancelled again (409). */
    public Meeting cancel(Handle h, String actor, long id, String reason) {
        MeetingDao meetings = new MeetingDao(h);
        Meeting meeting = meetings.find(id).orElseThrow(() -> new ConveneException.NotFound("meeting", id));
        if (meeting.cancelled()) throw new ConveneException.Conflict("meeting " + id + " is already cancelled", "meeting_cancelled");
        if (reason != null && reason.length() > 500) throw new ConveneException.Invalid("reason", "is longer than 500 characters");
        Instant now = clock.instant();
        meetings.cancel(id, reason, now);
        Meeting cancelled = meetings.find(id).orElseThrow();
        hooks.cancelled(h, cancelled);
        AuditLog.record(h, now, actor, "meeting.cancelled", "meeting", id, reason);
        return cancelled;
    }

    /** Undoes a cancellation made by mistake, while the meeting has not begun (409 otherwise, and when it is not cancelled). */
    public Meeting reinstate(String actor, long id) {
        return jdbi.inTransaction(h -> {
            MeetingDao meetings = new MeetingDao(h);
            Meeting meeting = meetings.find(id).orElseThrow(() -> new ConveneException.NotFound("meeting", id));
            if (!meeting.cancelled()) throw new ConveneException.Conflict("meeting " + id + " is not cancelled", "meeting_not_cancelled");
            Instant now = clock.instant();
            if (!meeting.startsAt().isAfter(now)) throw new ConveneException.Conflict("meeting " + id + " has begun; it stays cancelled", "meeting_begun_stays_cancelled");
            if (meetings.reinstate(id, now) == 0) throw new ConveneException.Conflict("meeting " + id + " is not cancelled", "meeting_not_cancelled");
            Meeting back = meetings.find(id).orElseThrow();
            hooks.reinstated(h, back);
            AuditLog.record(h, meeting.unitId(), now, actor, "meeting.reinstated", "meeting", id, null);
            return back;
        });
    }

    /**
     * Deletes a meeting made by mistake while nothing of it has reached a chat and nobody has answered; once
     * its agenda went out it is history, to be cancelled instead (409). A meeting of a series is cancelled
     * too, since the series would make it again.
     */
    public void delete(String actor, long id) {
        jdbi.useTransaction(h -> {
            Meeting meeting = new MeetingDao(h).find(id).orElseThrow(() -> new ConveneException.NotFound("meeting", id));
            if (h.createQuery("SELECT series_id FROM meetings WHERE id = :m").bind("m", id).mapTo(Long.class).findOne().isPresent()) {
                throw new ConveneException.Conflict("meeting " + id + " belongs to a series, which would make it again: cancel it instead", "meeting_delete_series");
            }
            int sent = count(h, "SELECT COUNT(*) FROM deliveries WHERE meeting_id = :m AND state IN ('sent', 'sending')", id);
            if (sent > 0) throw new ConveneException.Conflict("the agenda of meeting " + id + " has gone out: cancel the meeting instead", "meeting_delete_sent");
            int answers = count(h, """
                    SELECT (SELECT COUNT(*) FROM responses WHERE meeting_id = :m) + (SELECT COUNT(*) FROM attendance WHERE meeting_id = :m)
                         + (SELECT COUNT(*) FROM feedback WHERE meeting_id = :m) + (SELECT COUNT(*) FROM tasks WHERE meeting_id = :m)
                         + (SELECT COUNT(*) FROM minutes WHERE meeting_id = :m) + (SELECT COUNT(*) FROM products WHERE meeting_id = :m)""", id);
            if (answers > 0) throw new ConveneException.Conflict("meeting " + id + " has answers, attendance or minutes: cancel it instead", "meeting_delete_answered");
            // a topic pushed to this meeting's agenda waits for the unit's next meeting again
            h.createUpdate("UPDATE topic_units SET meeting_id = NULL WHERE meeting_id = :m").bind("m", id).execute();
            h.createUpdate("DELETE FROM topic_materials WHERE material_id IN (SELECT id FROM materials WHERE meeting_id = :m)").bind("m", id).execute();
            for (String table : List.of("deliveries", "reminders", "agenda_items", "meeting_observers", "materials", "response_history",
                    "meeting_invitees")) {
                h.createUpdate("DELETE FROM " + table + " WHERE meeting_id = :m").bind("m", id).execute();
            }
            h.createUpdate("DELETE FROM meetings WHERE id = :m").bind("m", id).execute();
            AuditLog.record(h, meeting.unitId(), clock.instant(), actor, "meeting.deleted", "meeting", id,
                    meeting.title() + " " + meeting.localStart().toOffsetDateTime());
        });
    }

    private static int count(Handle h, String sql, long meetingId) {
        return h.createQuery(sql).bind("m", meetingId).mapTo(Integer.class).one();
    }

    private MeetingDao.Fields validate(Handle h, Unit unit, MeetingRequest r, Meeting before) {
        List<FieldError> errors = new ArrayList<>();
        String title = r.title() != null ? r.title().strip() : before != null ? before.title() : "";
        if (title.isEmpty()) errors.add(new FieldError("title", "is required"));
        if (title.length() > 300) errors.add(new FieldError("title", "is longer than 300 characters"));
        MeetingKind kind = before != null ? before.kind() : MeetingKind.REGULAR;
        if (r.kind() != null) {
            kind = MeetingKind.parse(r.kind()).orElse(null);
            if (kind == null) errors.add(new FieldError("kind", "must be one of regular, thematic, pilot, extraordinary"));
        }
        ZoneId zone = before != null ? ZoneId.of(before.zone()) : unit.zone();
        Instant startsAt = before != null ? before.startsAt() : null;
        if (r.startsAt() != null) {
            startsAt = parseInstant(r.startsAt(), zone);
            if (startsAt == null) errors.add(new FieldError("startsAt", "is not an ISO-8601 date and time, e.g. 2026-12-05T19:30 or 2026-12-05T19:30:00+07:00"));
        } else if (before == null) {
            errors.add(new FieldError("startsAt", "is required"));
        }
        boolean recorded = before != null ? before.recorded() : Boolean.TRUE.equals(r.recorded());
        if (before != null && r.recorded() != null && r.recorded() != before.recorded()) {
            errors.add(new FieldError("recorded", "cannot change after the meeting was created"));
        }
        if (!recorded && startsAt != null && (before == null || r.startsAt() != null) && startsAt.isBefore(clock.instant().minusSeconds(60))) {
            errors.add(new FieldError("startsAt", "is in the past (a meeting that already took place is entered with \"recorded\": true)"));
        }
        if (recorded && startsAt != null && startsAt.isAfter(clock.instant())) {
            errors.add(new FieldError("startsAt", "is in the future, but a recorded meeting took place already"));
        }
        if (recorded && r.reminders() != null && !r.reminders().isEmpty()) {
            errors.add(new FieldError("reminders", "a recorded meeting has no reminders"));
        }
        String theme = r.theme() != null ? r.theme().strip() : before != null ? before.theme() : null;
        if (theme != null && theme.length() > 300) errors.add(new FieldError("theme", "is longer than 300 characters"));
        int duration = r.durationMinutes() != null ? r.durationMinutes() : before != null ? before.durationMinutes() : DEFAULT_DURATION;
        if (duration < 5 || duration > 24 * 60) errors.add(new FieldError("durationMinutes", "must be between 5 and 1440"));
        String location = r.location() != null ? r.location().strip() : before != null ? before.location() : null;
        if (location != null && location.length() > 500) errors.add(new FieldError("location", "is longer than 500 characters"));
        List<AgendaItem> agenda = r.agenda() != null ? r.agenda() : before != null ? before.agenda() : List.of();
        for (int i = 0; i < agenda.size(); i++) {
            AgendaItem item = agenda.get(i);
            if (item == null || item.title() == null || item.title().isBlank()) errors.add(new FieldError("agenda[" + i + "].title", "is required"));
            else if (item.title().length() > 500) errors.add(new FieldError("agenda[" + i + "].title", "is longer than 500 characters"));
            if (item != null && item.minutes() != null && (item.minutes() < 1 || item.minutes() > 600)) {
                errors.add(new FieldError("agenda[" + i + "].minutes", "must be between 1 and 600"));
            }
        }
        if (agenda.size() > 50) errors.add(new FieldError("agenda", "has more than 50 items"));
        List<Long> observers = r.observerUnitIds() != null ? r.observerUnitIds() : before != null ? before.observerUnitIds() : List.of();
        UnitDao units = h.attach(UnitDao.class);
        for (Long observer : observers) {
            if (observer == null || units.find(observer).isEmpty()) errors.add(new FieldError("observerUnitIds", "unit " + observer + " does not exist"));
            else if (observer == unit.id()) errors.add(new FieldError("observerUnitIds", "a unit cannot observe its own meeting"));
        }
        if (r.reminders() != null && r.reminders().size() > quotas.remindersPerMeeting()) {
            errors.add(new FieldError("reminders", "has " + r.reminders().size() + " reminders; a meeting has at most "
                    + quotas.remindersPerMeeting() + " (limits.remindersPerMeeting)"));
        } else if (r.reminders() != null) {
            try {
                hooks.validatePlan(r.reminders());
            } catch (ConveneException.Invalid e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        List<AgendaItem> cleanAgenda = agenda.stream()
                .map(i -> new AgendaItem(i.title().strip(), i.presenter() == null || i.presenter().isBlank() ? null : i.presenter().strip(), i.minutes()))
                .toList();
        return new MeetingDao.Fields(unit.id(), title, kind, startsAt, zone.getId(), duration,
                location == null || location.isEmpty() ? null : location, cleanAgenda, observers.stream().distinct().toList(),
                theme == null || theme.isEmpty() ? null : theme, recorded);
    }

    /** An ISO date-time with an offset or zone, or a local one read in {@code zone}; null when unreadable. */
    public static Instant parseInstant(String text, ZoneId zone) {
        String t = text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // not with an offset; try the other forms
        }
        try {
            return ZonedDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // not with a zone id
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String describeChange(Meeting before, Meeting after) {
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(before.title(), after.title())) changed.add("title");
        if (!before.startsAt().equals(after.startsAt())) changed.add("startsAt");
        if (!Objects.equals(before.location(), after.location())) changed.add("location");
        if (before.durationMinutes() != after.durationMinutes()) changed.add("durationMinutes");
        if (!before.agenda().equals(after.agenda())) changed.add("agenda");
        return String.join(",", changed);
    }
}
