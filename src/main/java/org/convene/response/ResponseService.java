package org.convene.response;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.convene.chat.Receipt;
import org.convene.delivery.Outbox;
import org.convene.meeting.ConveneException;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Member;
import org.convene.meeting.MemberDao;
import org.convene.store.AuditLog;
import org.convene.store.Writes;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Records answers (last one wins, every one kept in the history) and summarises them per meeting. */
public final class ResponseService {
    public static final Set<String> REASON_CODES = Set.of("sick", "work", "travel", "family", "other");

    private final int chasesPerHour;
    private final Jdbi jdbi;
    private final Writes writes;
    private final Clock clock;
    private final Outbox outbox;
    private final Runnable deliveriesAdded;
    private final ResponseLedger ledger;

    /** @param outbox where the tally edit goes after each answer; null where no chat is told (tools, tests) */
    private final java.util.function.BiPredicate<Instant, java.time.ZoneId> quietHours;

    public ResponseService(Jdbi jdbi, Clock clock, Outbox outbox, Runnable deliveriesAdded,
                           java.util.function.BiPredicate<Instant, java.time.ZoneId> quietHours) {
        this(jdbi, Writes.direct(jdbi), clock, outbox, deliveriesAdded, quietHours);
    }

    /**
     * @param writes where answers are written: the group commit, so that a province answering at once is
     *               a few transactions a second, not one per tap
     */
    public ResponseService(Jdbi jdbi, Writes writes, Clock clock, Outbox outbox, Runnable deliveriesAdded,
                           java.util.function.BiPredicate<Instant, java.time.ZoneId> quietHours) {
        this(jdbi, writes, clock, outbox, deliveriesAdded, quietHours, org.convene.meeting.Quotas.GENEROUS.chasesPerHour());
    }

    /** @param chasesPerHour chases of one meeting in an hour (the operator's {@code limits.chasesPerHour}) */
    public ResponseService(Jdbi jdbi, Writes writes, Clock clock, Outbox outbox, Runnable deliveriesAdded,
                           java.util.function.BiPredicate<Instant, java.time.ZoneId> quietHours, int chasesPerHour) {
        this.chasesPerHour = chasesPerHour;
        this.writes = writes;
        this.quietHours = quietHours;
        this.jdbi = jdbi;
        this.clock = clock;
        this.outbox = outbox;
        this.deliveriesAdded = deliveriesAdded;
        this.ledger = new ResponseLedger(jdbi, clock);
    }

    /**
     * Records one answer of a member of the meeting's unit, in one transaction with its history row, its
     * audit event and the tally edit it asks for; returns once that is committed.
     */
    public void record(String actor, long meetingId, long personId, Answer answer, Answer.Source source) {
        record(actor, meetingId, null, personId, answer, source, Receipt.NONE);
    }

    /**
     * The same for an answer that came from a chat: {@code receipt} is taken in the same transaction, and
     * when it was taken before (the platform delivered the event again) nothing is written and the
     * result is false.
     */
    public boolean record(String actor, long meetingId, long personId, Answer answer, Answer.Source source, Receipt receipt) {
        return record(actor, meetingId, null, personId, answer, source, receipt);
    }

    /** The same, for a caller that has the meeting already (a button press): the writer need not read it again. */
    public boolean record(String actor, Meeting meeting, long personId, Answer answer, Answer.Source source, Receipt receipt) {
        return record(actor, meeting.id(), meeting, personId, answer, source, receipt);
    }

    private boolean record(String actor, long meetingId, Meeting known, long personId, Answer answer, Answer.Source source, Receipt receipt) {
        Instant now = clock.instant();
        return writes.inTransaction(h -> {
            if (!receipt.takeIn(h)) return false;
            // plain statements: this runs on the one writer thread for every tap, and attaching a DAO costs more than its inserts
            switch (answer) {
                case Answer.Received r -> write(h, meetingId, personId, now, "received", null, null, null, source);
                case Answer.Coming c -> write(h, meetingId, personId, now, "rsvp", "yes", null, null, source);
                case Answer.Absent a -> write(h, meetingId, personId, now, "rsvp", "no", a.reasonCode(), a.reason(), source);
            }
            String detail = "person " + personId + " " + answer;
            // the unit of a meeting at hand is known: one query less on the one writer thread
            if (known != null) AuditLog.record(h, known.unitId(), now, actor, "response.recorded", "meeting", meetingId, detail);
            else AuditLog.record(h, now, actor, "response.recorded", "meeting", meetingId, detail);
            if (outbox != null) {
                Optional<Meeting> meeting = known != null ? Optional.of(known) : new MeetingDao(h).find(meetingId);
                meeting.ifPresent(m -> {
                    if (outbox.tally(h, m) > 0) h.afterCommit(deliveriesAdded);
                });
            }
            return true;
        });
    }

    /** The current answer (a "received" keeps an earlier rsvp) and its history row. */
    private static void write(Handle h, long meetingId, long personId, Instant now, String action, String rsvp, String reasonCode,
                              String reason, Answer.Source source) {
        h.createUpdate(ResponseDao.UPSERT).bind("m", meetingId).bind("p", personId).bind("receivedAt", now).bind("rsvp", rsvp)
                .bind("reasonCode", reasonCode).bind("reason", reason).bind("source", source.wire()).bind("at", now).execute();
        h.createUpdate(ResponseDao.HISTORY).bind("m", meetingId).bind("p", personId).bind("action", action).bind("rsvp", rsvp)
                .bind("reasonCode", reasonCode).bind("reason", reason).bind("source", source.wire()).bind("at", now).execute();
    }

    /** A reply taken by phone: {@code rsvp} is yes or no, a reason only with no. */
    /**
     * A reply the secretary took by phone. The member must be invited, and the caller must reach a unit they
     * belong to among the meeting's own and its observers: the meeting's secretary does not answer for a
     * guest unit's members unless it reaches that unit too.
     */
    public void recordBySecretary(org.convene.meeting.Caller caller, long meetingId, Long memberId, String rsvp, String reason, String reasonCode) {
        String actor = caller.actor();
        List<FieldError> errors = new ArrayList<>();
        if (memberId == null) errors.add(new FieldError("memberId", "is required"));
        if (!"yes".equals(rsvp) && !"no".equals(rsvp) && !"received".equals(rsvp)) errors.add(new FieldError("rsvp", "must be yes, no or received"));
        if (reason != null && reason.length() > 500) errors.add(new FieldError("reason", "is longer than 500 characters"));
        if (reasonCode != null && !REASON_CODES.contains(reasonCode)) errors.add(new FieldError("reasonCode", "must be one of " + REASON_CODES));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        Meeting meeting = meeting(meetingId);
        requireInvited(meeting, memberId);
        caller.requireReach(meeting.unitId(), "meeting");
        if (!caller.admin()) {
            List<Long> units = new ArrayList<>(meeting.observerUnitIds());
            units.add(meeting.unitId());
            boolean reached = jdbi.withHandle(h -> new org.convene.meeting.MemberDao(h).rolesOf(memberId)).keySet().stream()
                    .anyMatch(u -> units.contains(u) && caller.reaches(u));
            if (!reached) throw new ConveneException.NotAllowed("memberId: member " + memberId + " is out of this caller's reach");
        }
        Answer answer = switch (rsvp) {
            case "yes" -> new Answer.Coming();
            case "received" -> new Answer.Received();
            default -> new Answer.Absent(reasonCode != null ? reasonCode : reason == null || reason.isBlank() ? null : "other",
                    reason == null || reason.isBlank() ? null : reason.strip());
        };
        record(actor, meetingId, memberId, answer, Answer.Source.SECRETARY);
    }

    /** Whether the secretary's chase can go now, and if not, why: each has its text on the page. */
    public enum ChaseState { READY, CANCELLED, BEGUN, NO_AGENDA, NOBODY }

    /**
     * A chase points at the agenda's buttons, so it waits until an agenda went out; it names those
     * who have not acknowledged, so with none left there is nothing to send.
     */
    public ChaseState chaseState(long meetingId) {
        Meeting meeting = meeting(meetingId);
        if (meeting.cancelled()) return ChaseState.CANCELLED;
        if (!meeting.startsAt().isAfter(clock.instant())) return ChaseState.BEGUN;
        if (jdbi.withExtension(org.convene.delivery.DeliveryDao.class, d -> d.agendasOut(meetingId)) == 0) return ChaseState.NO_AGENDA;
        if (ledger.responses(meetingId).members().stream().noneMatch(m -> !m.observer() && m.receivedAt() == null)) return ChaseState.NOBODY;
        return ChaseState.READY;
    }

    /**
     * The secretary's chase, now: one message per chat naming those who have not answered. Zero when
     * everyone has; refused (409, with the reason) before the agenda went out, during quiet hours and
     * for meetings cancelled or over.
     */
    public int chase(String actor, long meetingId) {
        Meeting meeting = meeting(meetingId);
        Instant now = clock.instant();
        switch (chaseState(meetingId)) {
            case CANCELLED -> throw new ConveneException.Conflict("meeting " + meetingId + " is cancelled");
            case BEGUN -> throw new ConveneException.Conflict("meeting " + meetingId + " has begun");
            case NO_AGENDA -> throw new ConveneException.Conflict("the agenda of meeting " + meetingId
                    + " has not gone out yet; members have no buttons to press until it does");
            case NOBODY -> {
                return 0;
            }
            case READY -> { }
        }
        if (quietHours.test(now, java.time.ZoneId.of(meeting.zone()))) {
            throw new ConveneException.Conflict("it is quiet hours in " + meeting.zone() + "; chase again after they end");
        }
        int added = jdbi.inTransaction(h -> {
            requireChaseQuota(h, meetingId, now);
            int n = outbox.chase(h, meeting, null, "chase:" + meetingId + ":" + now.toEpochMilli());
            AuditLog.record(h, now, actor, "meeting.chased", "meeting", meetingId, n + " chats");
            return n;
        });
        if (added > 0) deliveriesAdded.run();
        return added;
    }

    /** A member's answer to the meeting as it stands now, or empty when they have given none. */
    public Optional<ResponseLedger.MemberAnswer> answerOf(long meetingId, long personId) {
        return ledger.responses(meetingId).members().stream()
                .filter(m -> m.memberId() == personId && (m.rsvp() != null || m.receivedAt() != null)).findFirst();
    }

    /** 429 once the meeting was chased {@code chasesPerHour} times in the last hour: each chase is a message in every chat. */
    private void requireChaseQuota(org.jdbi.v3.core.Handle h, long meetingId, Instant now) {
        List<Instant> recent = h.createQuery("SELECT at FROM audit_events WHERE action = 'meeting.chased' AND entity = 'meeting'"
                        + " AND entity_id = :id AND at > :since ORDER BY at")
                .bind("id", String.valueOf(meetingId)).bind("since", now.minus(java.time.Duration.ofHours(1))).mapTo(Instant.class).list();
        if (recent.size() >= chasesPerHour) {
            Instant freed = recent.get(recent.size() - chasesPerHour).plus(java.time.Duration.ofHours(1));
            throw new ConveneException.TooMany("meeting " + meetingId + " was chased " + recent.size() + " times in the last hour, the limit"
                    + " (limits.chasesPerHour = " + chasesPerHour + ")", java.time.Duration.between(now, freed));
        }
    }

    public ResponseLedger.Responses responses(long meetingId) {
        return ledger.responses(meetingId);
    }

    void requireInvited(Meeting meeting, long personId) {
        ledger.requireInvited(meeting, personId);
    }

    private Meeting meeting(long meetingId) {
        return jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
    }

}
