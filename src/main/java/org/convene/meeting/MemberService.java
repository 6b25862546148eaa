package org.convene.meeting;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Members of units: one at a time, or a whole roster from CSV with an error per bad line; and the chat
 * accounts linked to them. Who may give which role, and who may link which account, is decided here for
 * the API, the pages and the chat alike.
 */
public final class MemberService {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** A personal code is read aloud or passed by hand: a day to use it. */
    public static final java.time.Duration PERSONAL_CODE_VALIDITY = java.time.Duration.ofHours(24);

    /**
     * One transaction of an import ends after this many rows or this long, whichever comes first: short enough
     * that other units' answers and reminders get the writer in between (a row costs a few ms on a busy machine).
     */
    static final int IMPORT_CHUNK = 100;
    static final long IMPORT_CHUNK_NANOS = 100_000_000L;

    private final Jdbi jdbi;
    private final Clock clock;
    private final java.util.random.RandomGenerator random;
    private final int maxImportRows;
    private volatile LinkNotices notices = LinkNotices.NONE;

    /** Tells a member, privately where the platform allows it, that an account was linked to them. */
    public interface LinkNotices {
        LinkNotices NONE = (platform, userId, unitId, memberName) -> {};

        void linked(String platform, String userId, long unitId, String memberName);
    }

    public MemberService(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, new java.security.SecureRandom());
    }

    public MemberService(Jdbi jdbi, Clock clock, java.util.random.RandomGenerator random) {
        this(jdbi, clock, random, 5000);
    }

    /** @param maxImportRows rows one import may hold (the operator's {@code limits.importRows}) */
    public MemberService(Jdbi jdbi, Clock clock, java.util.random.RandomGenerator random, int maxImportRows) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.random = random;
        this.maxImportRows = maxImportRows;
    }

    /** Set once by the wiring, when the chat platforms exist. */
    public void tellLinksWith(LinkNotices notices) {
        this.notices = notices;
    }

    public Member add(Caller caller, long unitId, Requests.NewMember request) {
        Member member = request.personId() != null ? addPerson(caller, unitId, request) : addNew(caller, unitId, request);
        member.accounts().forEach((platform, userId) -> {
            if (platform.equals("telegram") && userId.equals(request.telegramUserId())
                    || platform.equals("zalo") && userId.equals(request.zaloUserId())
                    || platform.equals("local") && userId.equals(request.localUserId())) {
                notices.linked(platform, userId, unitId, member.name());
            }
        });
        return member;
    }

    private Member addNew(Caller caller, long unitId, Requests.NewMember request) {
        Valid valid = validate(request);
        return jdbi.inTransaction(h -> {
            requireUnit(h, unitId);
            requireMayGive(caller, unitId, valid.role(), null);
            long id = insert(h, unitId, valid, clock.instant(), IdentityOrigin.by(caller, IdentityOrigin.REGISTERED, unitId));
            AuditLog.record(h, unitId, clock.instant(), caller.actor(), "member.added", "member", id, valid.name());
            return new MemberDao(h).find(unitId, id).orElseThrow();
        });
    }

    /**
     * Only the admin or a supervisor of a unit above gives, changes or takes away the supervisor role: a
     * supervisor reaches every unit below, so a secretary who could make one would widen its own reach.
     */
    static void requireMayGive(Caller caller, long unitId, Role role, Role before) {
        boolean touchesSupervisor = role == Role.SUPERVISOR || (before == Role.SUPERVISOR && role != before);
        if (touchesSupervisor && !caller.supervisesFromAbove(unitId)) {
            throw new ConveneException.NotAllowed("role: only the admin or a supervisor of a unit above unit " + unitId
                    + " gives or changes the supervisor role", "role_not_allowed");
        }
    }

    /** An existing person joins one more unit, with a role, status and dates of its own there. */
    private Member addPerson(Caller caller, long unitId, Requests.NewMember request) {
        String actor = caller.actor();
        long personId = request.personId();
        Valid valid = validate(new Requests.NewMember(request.name() == null ? "-" : request.name(), request.role(), request.phone(),
                request.telegramUserId(), request.zaloUserId(), request.localUserId(), personId, request.status(), request.joinedOn()));
        return jdbi.inTransaction(h -> {
            requireUnit(h, unitId);
            MemberDao members = new MemberDao(h);
            String name = members.personName(personId).orElseThrow(() -> new ConveneException.NotFound("person", personId));
            if (members.find(unitId, personId).isPresent()) {
                throw new ConveneException.Conflict("person " + personId + " is already a member of unit " + unitId + "; change that membership instead");
            }
            requireMayGive(caller, unitId, valid.role(), null);
            Instant now = clock.instant();
            requireFreeAccounts(members, valid, personId);
            members.insertMembership(unitId, personId, valid.role(), valid.status(), valid.joinedOn(), now);
            linkAccounts(members, personId, valid, name, now, IdentityOrigin.by(caller, IdentityOrigin.REGISTERED, unitId));
            AuditLog.record(h, unitId, now, actor, "member.added", "member", personId, name + " (person " + personId + ")");
            return members.find(unitId, personId).orElseThrow();
        });
    }

    /** Every membership of the unit, former ones included, with today's status. */
    public List<Member> list(long unitId) {
        return jdbi.withHandle(h -> {
            Unit unit = requireUnit(h, unitId);
            return new MemberDao(h).ofUnit(unitId, LocalDate.now(clock.withZone(unit.zone())));
        });
    }

    /** The roster of a day: who had joined and not yet left, with that day's status. */
    public List<Member> rosterOn(long unitId, LocalDate day) {
        return jdbi.withHandle(h -> {
            requireUnit(h, unitId);
            return new MemberDao(h).onDay(unitId, day);
        });
    }

    public Member get(long unitId, long memberId) {
        return jdbi.withHandle(h -> new MemberDao(h).find(unitId, memberId))
                .orElseThrow(() -> new ConveneException.NotFound("member", memberId));
    }

    /** The units a person belongs to, for deciding who may add them to another. */
    public List<Long> unitsOf(long personId) {
        List<Long> units = jdbi.withHandle(h -> new MemberDao(h).unitsOf(personId));
        if (units.isEmpty()) throw new ConveneException.NotFound("person", personId);
        return units;
    }

    /** Changes a membership: the person's name and phone, the role, the status from a day, the dates. */
    public Member change(Caller caller, long unitId, long memberId, Requests.MemberChange change) {
        String actor = caller.actor();
        List<FieldError> errors = new ArrayList<>();
        String name = change.name() == null ? null : change.name().strip();
        if (change.has("name") && (name == null || name.isEmpty())) errors.add(new FieldError("name", "is required"));
        if (name != null && name.length() > 200) errors.add(new FieldError("name", "is longer than 200 characters"));
        Optional<Role> role = change.role() == null ? Optional.empty() : Role.parse(change.role());
        if (change.role() != null && role.isEmpty()) errors.add(new FieldError("role", "must be one of secretary, deputy, member, supervisor"));
        String phone = blankToNull(change.phone());
        if (phone != null && !phone.matches("\\+?[0-9 .-]{6,20}")) errors.add(new FieldError("phone", "is not a phone number"));
        Optional<MemberStatus> status = MemberStatus.parse(change.status());
        if (change.status() != null && status.isEmpty()) errors.add(new FieldError("status", "must be one of official, probationary, exempt, temporary"));
        LocalDate statusFrom = date(change.statusFrom(), "statusFrom", errors);
        LocalDate joinedOn = date(change.joinedOn(), "joinedOn", errors);
        LocalDate leftOn = date(change.leftOn(), "leftOn", errors);
        Optional<MemberStatus.LeftReason> reason = MemberStatus.LeftReason.parse(change.leftReason());
        if (change.leftReason() != null && reason.isEmpty()) errors.add(new FieldError("leftReason", "must be one of moved, transferred, deceased, removed"));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return jdbi.inTransaction(h -> {
            Unit unit = requireUnit(h, unitId);
            MemberDao members = new MemberDao(h);
            Member before = members.find(unitId, memberId).orElseThrow(() -> new ConveneException.NotFound("member", memberId));
            if (role.isPresent()) requireMayGive(caller, unitId, role.get(), before.role());
            LocalDate joined = change.has("joinedOn") ? joinedOn : before.joinedOn();
            LocalDate left = change.has("leftOn") ? leftOn : before.leftOn();
            MemberStatus.LeftReason why = left == null ? null : reason.orElse(change.has("leftOn") ? null : before.leftReason());
            if (left != null && why == null) throw new ConveneException.Invalid("leftReason", "is required with leftOn: moved, transferred, deceased or removed");
            if (left != null && joined != null && !left.isAfter(joined)) throw new ConveneException.Invalid("leftOn", "must be after joinedOn " + joined);
            Instant now = clock.instant();
            if (name != null || phone != null) members.updatePerson(memberId, name == null ? before.name() : name, phone);
            if (role.isPresent()) members.updateRole(unitId, memberId, role.get());
            if (status.isPresent()) {
                LocalDate from = statusFrom != null ? statusFrom : LocalDate.now(clock.withZone(unit.zone()));
                members.setStatus(unitId, memberId, status.get(), joined == null || from.isAfter(joined) ? from : null, now);
            }
            members.updateDates(unitId, memberId, joined, left, why);
            Member after = members.find(unitId, memberId).orElseThrow();
            String action = before.leftOn() == null && after.leftOn() != null ? "member.ended" : "member.changed";
            AuditLog.record(h, unitId, now, actor, action, "member", memberId, describe(before, after, change));
            return after;
        });
    }

    /**
     * Deletes a membership made by mistake. One that answers, attendance, feedback or tasks refer to is
     * history: end it instead (409).
     */
    public void delete(Caller caller, long unitId, long memberId) {
        String actor = caller.actor();
        jdbi.useTransaction(h -> {
            requireUnit(h, unitId);
            MemberDao members = new MemberDao(h);
            Member member = members.find(unitId, memberId).orElseThrow(() -> new ConveneException.NotFound("member", memberId));
            if (member.role() == Role.SUPERVISOR) requireMayGive(caller, unitId, Role.MEMBER, Role.SUPERVISOR);
            if (members.references(unitId, memberId) > 0) {
                throw new ConveneException.Conflict("member " + memberId + " has answers, attendance or tasks in this unit;"
                        + " end the membership instead (PATCH leftOn and leftReason)", "member_delete_used");
            }
            members.deleteMembership(unitId, memberId);
            AuditLog.record(h, unitId, clock.instant(), actor, "member.deleted", "member", memberId, member.name());
        });
    }

    private static String describe(Member before, Member after, Requests.MemberChange change) {
        List<String> parts = new ArrayList<>();
        if (!before.name().equals(after.name())) parts.add("name " + before.name() + " → " + after.name());
        if (before.role() != after.role()) parts.add("role " + before.role().wire() + " → " + after.role().wire());
        if (!java.util.Objects.equals(before.phone(), after.phone())) parts.add("phone changed");
        if (change.status() != null) parts.add("status " + change.status() + (change.statusFrom() == null ? "" : " from " + change.statusFrom()));
        if (!java.util.Objects.equals(before.joinedOn(), after.joinedOn())) parts.add("joinedOn " + before.joinedOn() + " → " + after.joinedOn());
        if (!java.util.Objects.equals(before.leftOn(), after.leftOn())) {
            parts.add("leftOn " + before.leftOn() + " → " + after.leftOn() + (after.leftReason() == null ? "" : " (" + after.leftReason().wire() + ")"));
        }
        return after.name() + ": " + (parts.isEmpty() ? "nothing" : String.join(", ", parts));
    }

    private static LocalDate date(String text, String field, List<FieldError> errors) {
        if (text == null || text.isBlank()) return null;
        try {
            return LocalDate.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            errors.add(new FieldError(field, "is not a date (YYYY-MM-DD)"));
            return null;
        }
    }

    /** The outcome of an import: lines are counted from 1, the header included. */
    public record ImportResult(int created, int updated, List<LineError> errors) {}

    /**
     * A refused line: {@code code} names the problem for a page to put in its own language
     * ({@code name_required}, {@code role_unknown}, …), {@code value} is the cell at fault, {@code message} the English text.
     */
    public record LineError(long line, String code, String value, String message) {}

    /** What one line of a roster will do. */
    public sealed interface RowPlan permits Create, Update, Refused {
        long line();
    }

    public record Create(long line, String name, Role role, String phone) implements RowPlan {}

    public record Update(long line, long memberId, String name, Role role, String phone) implements RowPlan {}

    public record Refused(long line, LineError error) implements RowPlan {}

    /** What an import would do, line by line, with nothing stored: the secretary looks before committing. */
    public record ImportPreview(MemberCsv.Roster roster, List<RowPlan> rows) {
        public long count(Class<? extends RowPlan> kind) {
            return rows.stream().filter(kind::isInstance).count();
        }
    }

    public ImportPreview previewCsv(long unitId, String csv) {
        MemberCsv.Roster roster = withinRowLimit(MemberCsv.read(csv));
        return jdbi.withHandle(h -> {
            requireUnit(h, unitId);
            MemberDao members = new MemberDao(h);
            Set<String> seen = new HashSet<>();
            List<RowPlan> plans = new ArrayList<>();
            for (MemberCsv.Row row : roster.rows()) {
                RowPlan plan = plan(members, unitId, row, seen);
                plans.add(plan);
            }
            return new ImportPreview(roster, plans);
        });
    }

    /**
     * Imports a roster read by {@link MemberCsv} (a header line is optional). A row whose phone or
     * Telegram account matches an existing member updates that member; the good rows land even
     * when others are wrong, each wrong one is reported with its line.
     */
    public ImportResult importCsv(Caller caller, long unitId, String csv) {
        String actor = caller.actor();
        IdentityOrigin origin = IdentityOrigin.by(caller, IdentityOrigin.REGISTERED, unitId);
        List<String[]> linked = new ArrayList<>();
        MemberCsv.Roster roster = withinRowLimit(MemberCsv.read(csv));
        jdbi.useHandle(h -> requireUnit(h, unitId));
        // applied in chunks, each its own transaction: SQLite has one writer, and a 5,000-row import in one
        // transaction held it for seconds while other units' answers waited; a chunk is re-runnable (rows match by phone)
        List<MemberCsv.Row> rows = roster.rows();
        Tally tally = new Tally();
        int from = 0;
        while (from < rows.size()) {
            int start = from;
            from = jdbi.inTransaction(h -> {
                MemberDao members = new MemberDao(h);
                long began = System.nanoTime();
                int i = start;
                while (i < rows.size() && i - start < IMPORT_CHUNK && System.nanoTime() - began < IMPORT_CHUNK_NANOS) {
                    importRow(h, members, caller, origin, unitId, rows.get(i), tally, linked);
                    i++;
                }
                return i;
            });
        }
        jdbi.useTransaction(h -> AuditLog.record(h, unitId, clock.instant(), actor, "members.imported", "unit", unitId,
                "created=" + tally.created + " updated=" + tally.updated + " errors=" + tally.errors.size()));
        linked.forEach(l -> notices.linked(l[0], l[1], unitId, l[2]));
        return new ImportResult(tally.created, tally.updated, tally.errors);
    }

    /** 413 for a roster longer than {@code limits.importRows}, before anything is looked up or stored. */
    private MemberCsv.Roster withinRowLimit(MemberCsv.Roster roster) {
        if (roster.rows().size() > maxImportRows) {
            throw new ConveneException.TooLarge("the import has " + roster.rows().size() + " rows; one import takes at most " + maxImportRows
                    + " (limits.importRows): split the file");
        }
        return roster;
    }

    /** What an import did so far, chunk after chunk. */
    private static final class Tally {
        int created;
        int updated;
        final List<LineError> errors = new ArrayList<>();
    }

    private void importRow(Handle h, MemberDao members, Caller caller, IdentityOrigin origin, long unitId, MemberCsv.Row row, Tally tally,
                           List<String[]> linked) {
        Instant now = clock.instant();
        RowPlan plan = plan(members, unitId, row, new HashSet<>());
        Optional<LineError> refusedRole = switch (plan) {
            case Refused r -> Optional.empty();
            case Update u -> roleRefusal(caller, unitId, row.line(), u.role(), members.find(unitId, u.memberId()).map(Member::role).orElse(null));
            case Create c -> roleRefusal(caller, unitId, row.line(), c.role(), null);
        };
        if (refusedRole.isPresent()) plan = new Refused(row.line(), refusedRole.get());
        String telegram = row.get(MemberCsv.Column.TELEGRAM_USER_ID);
        switch (plan) {
            case Refused r -> tally.errors.add(r.error());
            case Update u -> {
                members.updatePerson(u.memberId(), u.name(), u.phone());
                members.updateRole(unitId, u.memberId(), u.role());
                if (telegram != null) {
                    boolean had = telegram.equals(members.accountOn(u.memberId(), "telegram").orElse(null));
                    if (!members.link(u.memberId(), "telegram", telegram, null, now, origin)) {
                        tally.errors.add(new LineError(row.line(), "telegramUserId_taken", telegram,
                                "telegramUserId " + telegram + ": the member has another Telegram account linked; unlink it first"));
                    } else if (!had) {
                        linked.add(new String[] {"telegram", telegram, u.name()});
                    }
                }
                String zalo = row.get(MemberCsv.Column.ZALO_USER_ID);
                if (zalo != null) members.link(u.memberId(), "zalo", zalo, null, now, origin);
                applyRosterColumns(h, members, unitId, u.memberId(), row, false, now);
                tally.updated++;
            }
            case Create c -> {
                long person = insert(h, unitId, new Valid(c.name(), c.role(), c.phone(), telegram, row.get(MemberCsv.Column.ZALO_USER_ID),
                        null, MemberStatus.OFFICIAL, null), now, origin);
                applyRosterColumns(h, members, unitId, person, row, true, now);
                if (telegram != null) linked.add(new String[] {"telegram", telegram, c.name()});
                tally.created++;
            }
        }
    }

    /** A line that gives or takes the supervisor role without the right to: refused like any wrong line. */
    private static Optional<LineError> roleRefusal(Caller caller, long unitId, long line, Role role, Role before) {
        try {
            requireMayGive(caller, unitId, role, before);
            return Optional.empty();
        } catch (ConveneException.NotAllowed e) {
            return Optional.of(new LineError(line, "role_not_allowed", role.wire(), e.getMessage()));
        }
    }

    /**
     * A row's status and dates, when it carries them: a new member's status holds since they joined, a
     * changed status of a known member from today (the meetings before keep the old one).
     */
    private static void applyRosterColumns(Handle h, MemberDao members, long unitId, long person, MemberCsv.Row row, boolean created, Instant now) {
        if (row.get(MemberCsv.Column.STATUS) == null && row.get(MemberCsv.Column.JOINED_ON) == null && row.get(MemberCsv.Column.LEFT_ON) == null) return;
        Unit unit = requireUnit(h, unitId);
        Member before = members.find(unit.id(), person).orElseThrow();
        MemberStatus.parse(row.get(MemberCsv.Column.STATUS)).filter(st -> st != before.status())
                .ifPresent(st -> members.setStatus(unit.id(), person, st, created ? null : now.atZone(unit.zone()).toLocalDate(), now));
        String joined = row.get(MemberCsv.Column.JOINED_ON);
        String left = row.get(MemberCsv.Column.LEFT_ON);
        if (joined == null && left == null) return;
        members.updateDates(unit.id(), person, joined == null ? before.joinedOn() : LocalDate.parse(joined),
                left == null ? before.leftOn() : LocalDate.parse(left),
                left == null ? before.leftReason() : MemberStatus.LeftReason.parse(row.get(MemberCsv.Column.LEFT_REASON)).orElseThrow());
    }

    /**
     * What a row does, read against the stored members. {@code seen} carries the phones earlier rows of
     * a preview would create, so that a phone twice in one file previews as create then update (of member 0,
     * not stored yet), as the import does it.
     */
    private static RowPlan plan(MemberDao members, long unitId, MemberCsv.Row row, Set<String> seen) {
        String telegram = row.get(MemberCsv.Column.TELEGRAM_USER_ID);
        String zalo = row.get(MemberCsv.Column.ZALO_USER_ID);
        Requests.NewMember request = new Requests.NewMember(row.get(MemberCsv.Column.NAME), row.get(MemberCsv.Column.ROLE),
                row.get(MemberCsv.Column.PHONE), telegram, zalo, null, null, row.get(MemberCsv.Column.STATUS), row.get(MemberCsv.Column.JOINED_ON));
        List<Problem> problems = new ArrayList<>(problems(request));
        String left = row.get(MemberCsv.Column.LEFT_ON);
        String reason = row.get(MemberCsv.Column.LEFT_REASON);
        if (left != null) {
            List<FieldError> bad = new ArrayList<>();
            date(left, "leftOn", bad);
            bad.forEach(e -> problems.add(new Problem("leftOn", "date_invalid", left, e.message())));
            if (MemberStatus.LeftReason.parse(reason).isEmpty()) {
                problems.add(new Problem("leftReason", "left_reason_unknown", reason == null ? "" : reason,
                        "must be one of moved, transferred, deceased, removed with leftOn"));
            }
        }
        if (!problems.isEmpty()) {
            Problem p = problems.get(0);
            return new Refused(row.line(), new LineError(row.line(), p.code(), p.value(), p.field() + ": " + p.message()));
        }
        Valid valid = valid(request);
        Optional<Long> existing = valid.phone() == null ? Optional.empty()
                : members.personByPhone(unitId, valid.phone()).or(() -> seen.contains(valid.phone()) ? Optional.of(0L) : Optional.empty());
        Optional<Long> owner = telegram == null ? Optional.empty() : members.identityOwner("telegram", telegram);
        if (existing.isEmpty()) existing = owner.filter(p -> members.find(unitId, p).isPresent());
        if (owner.isPresent() && (existing.isEmpty() || !owner.get().equals(existing.get()))) {
            return new Refused(row.line(), new LineError(row.line(), "telegramUserId_taken", telegram,
                    "telegramUserId " + telegram + " belongs to another person"));
        }
        Optional<Long> zaloOwner = zalo == null ? Optional.empty() : members.identityOwner("zalo", zalo);
        if (zaloOwner.isPresent() && (existing.isEmpty() || !zaloOwner.get().equals(existing.get()))) {
            return new Refused(row.line(), new LineError(row.line(), "zaloUserId_taken", zalo, "zaloUserId " + zalo + " belongs to another person"));
        }
        if (existing.isPresent()) return new Update(row.line(), existing.get(), valid.name(), valid.role(), valid.phone());
        if (valid.phone() != null) seen.add(valid.phone());
        return new Create(row.line(), valid.name(), valid.role(), valid.phone());
    }

    private record Valid(String name, Role role, String phone, String telegramUserId, String zaloUserId, String localUserId,
                         MemberStatus status, LocalDate joinedOn) {}

    /** What is wrong with one field: a code for pages to translate, the cell at fault, and the English message of the API. */
    private record Problem(String field, String code, String value, String message) {}

    private static List<Problem> problems(Requests.NewMember request) {
        List<Problem> problems = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) problems.add(new Problem("name", "name_required", "", "is required"));
        if (name.length() > 200) problems.add(new Problem("name", "name_too_long", name, "is longer than 200 characters"));
        if (Role.parse(request.role()).isEmpty()) {
            problems.add(new Problem("role", "role_unknown", request.role(), "must be one of secretary, deputy, member, supervisor"));
        }
        String phone = blankToNull(request.phone());
        if (phone != null && !phone.matches("\\+?[0-9 .-]{6,20}")) problems.add(new Problem("phone", "phone_invalid", phone, "is not a phone number"));
        String telegram = blankToNull(request.telegramUserId());
        if (telegram != null && !telegram.matches("[0-9]{1,20}")) {
            problems.add(new Problem("telegramUserId", "telegramUserId_invalid", telegram, "must be the numeric Telegram user id"));
        }
        String zalo = blankToNull(request.zaloUserId());
        if (zalo != null && zalo.length() > 64) problems.add(new Problem("zaloUserId", "zaloUserId_too_long", zalo, "is longer than 64 characters"));
        String local = blankToNull(request.localUserId());
        if (local != null && local.length() > 64) problems.add(new Problem("localUserId", "localUserId_too_long", local, "is longer than 64 characters"));
        if (request.status() != null && MemberStatus.parse(request.status()).isEmpty()) {
            problems.add(new Problem("status", "status_unknown", request.status(), "must be one of official, probationary, exempt, temporary"));
        }
        List<FieldError> dateErrors = new ArrayList<>();
        date(request.joinedOn(), "joinedOn", dateErrors);
        dateErrors.forEach(e -> problems.add(new Problem(e.field(), "date_invalid", request.joinedOn(), e.message())));
        return problems;
    }

    private static Valid validate(Requests.NewMember request) {
        List<Problem> problems = problems(request);
        if (!problems.isEmpty()) throw new ConveneException.Invalid(problems.stream().map(p -> new FieldError(p.field(), p.message())).toList());
        return valid(request);
    }

    /** The request's values as stored; only for a request without {@link #problems}. */
    private static Valid valid(Requests.NewMember request) {
        String phone = blankToNull(request.phone());
        return new Valid(request.name().strip(), Role.parse(request.role()).orElseThrow(), phone == null ? null : phone.replaceAll("[ .-]", ""),
                blankToNull(request.telegramUserId()), blankToNull(request.zaloUserId()), blankToNull(request.localUserId()),
                request.status() == null ? MemberStatus.OFFICIAL : MemberStatus.parse(request.status()).orElseThrow(),
                date(request.joinedOn(), "joinedOn", new ArrayList<>()));
    }

    private static long insert(Handle h, long unitId, Valid v, Instant now, IdentityOrigin origin) {
        MemberDao members = new MemberDao(h);
        requireFreeAccounts(members, v, null);
        long person = members.insertPerson(v.name(), v.phone(), now);
        members.insertMembership(unitId, person, v.role(), v.status(), v.joinedOn(), now);
        linkAccounts(members, person, v, v.name(), now, origin);
        return person;
    }

    /** A chat account names one person: one linked to someone else is a conflict, with the way out for a person in two units. */
    private static void requireFreeAccounts(MemberDao members, Valid v, Long personId) {
        for (String[] account : new String[][] {{"telegram", "telegramUserId", v.telegramUserId()}, {"local", "localUserId", v.localUserId()},
                {"zalo", "zaloUserId", v.zaloUserId()}}) {
            if (account[2] == null) continue;
            Optional<Long> owner = members.identityOwner(account[0], account[2]);
            if (owner.isPresent() && !owner.get().equals(personId)) {
                throw new ConveneException.Conflict(account[1] + " " + account[2] + " is already linked to person " + owner.get()
                        + "; to add that person to this unit too, send personId " + owner.get());
            }
        }
    }

    private static void linkAccounts(MemberDao members, long person, Valid v, String name, Instant now, IdentityOrigin origin) {
        if (v.telegramUserId() != null) members.link(person, "telegram", v.telegramUserId(), null, now, origin);
        if (v.zaloUserId() != null) members.link(person, "zalo", v.zaloUserId(), null, now, origin);
        if (v.localUserId() != null) members.link(person, "local", v.localUserId(), name, now, origin);
    }

    /** A member's linked chat accounts (never a secret: platform user ids are what the platform shows anyway). */
    public List<MemberDao.Account> accounts(long unitId, long memberId) {
        return jdbi.withHandle(h -> {
            requireMember(h, unitId, memberId);
            return new MemberDao(h).accounts(memberId);
        });
    }

    /** Unlinks a member's account on a platform: the account no longer answers for the member, nor signs in. */
    public void unlink(Caller caller, long unitId, long memberId, String platform) {
        jdbi.useTransaction(h -> {
            Member member = requireMember(h, unitId, memberId);
            // a supervisor's account signs in over a whole subtree: only those who may make supervisors touch it
            if (member.role() == Role.SUPERVISOR) requireMayGive(caller, unitId, Role.SUPERVISOR, null);
            MemberDao members = new MemberDao(h);
            String account = members.accountOn(memberId, platform)
                    .orElseThrow(() -> new ConveneException.NotFound("account of member " + memberId + " on", platform));
            members.unlink(memberId, platform);
            AuditLog.record(h, unitId, clock.instant(), caller.actor(), "account.unlinked", "member", memberId, platform + ":" + account);
        });
    }

    /** A one-time personal code and when it stops working. */
    public record PersonalCode(String code, Instant expiresAt) {}

    /**
     * A one-time code the secretary hands to one member, who sends {@code /iam CODE} to the bot to link the
     * account they send it from. The account then signs in as far as the code's maker reaches, no further.
     */
    public PersonalCode personalCode(Caller caller, long unitId, long memberId) {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 8; i++) code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        Instant now = clock.instant();
        Instant expires = now.plus(PERSONAL_CODE_VALIDITY);
        jdbi.useTransaction(h -> {
            Member member = requireMember(h, unitId, memberId);
            requireMayGive(caller, unitId, member.role(), null);
            IdentityOrigin origin = IdentityOrigin.by(caller, IdentityOrigin.CODE, unitId);
            h.createUpdate("""
                    INSERT INTO member_link_codes (code_hash, unit_id, person_id, limit_unit_id, limit_role, expires_at, created_by, created_at)
                    VALUES (:hash, :unit, :person, :limitUnit, :limitRole, :expires, :by, :now)""")
                    .bind("hash", hash(code.toString())).bind("unit", unitId).bind("person", memberId)
                    .bind("limitUnit", origin.limitUnitId()).bind("limitRole", origin.limitRole())
                    .bind("expires", expires).bind("by", caller.actor()).bind("now", now).execute();
            AuditLog.record(h, unitId, now, caller.actor(), "personal-code.issued", "member", memberId, null);
        });
        return new PersonalCode(code.toString(), expires);
    }

    /** Whether a text has the shape of a personal code (so {@code /iam} tries it before taking it for a name). */
    public static boolean looksLikeCode(String text) {
        return text != null && text.strip().toUpperCase(java.util.Locale.ROOT).matches("[" + CODE_ALPHABET + "]{8}");
    }

    /** What an attempt to link an account came to. */
    public sealed interface Linking {
        record Linked(Member member) implements Linking {}
        /** No member has that name, or the code is unknown, used or expired. */
        record Unknown() implements Linking {}
        record Ambiguous() implements Linking {}
        /** The account belongs to another member, or the member has an account on this platform already. */
        record Taken(Member member) implements Linking {}
        /** The member signs in to the web pages: their account is linked by the secretary or with a personal code. */
        record NeedsCode(Member member) implements Linking {}
    }

    /** {@code /iam CODE}: links the account to the code's member, once. */
    public Linking linkByCode(String code, String platform, String userId, String userName) {
        Instant now = clock.instant();
        Linking result = jdbi.inTransaction(h -> {
            var row = h.createQuery("""
                            SELECT unit_id, person_id, limit_unit_id, limit_role FROM member_link_codes
                            WHERE code_hash = :hash AND used_at IS NULL AND expires_at > :now""")
                    .bind("hash", hash(code.strip().toUpperCase(java.util.Locale.ROOT))).bind("now", now)
                    .map((rs, ctx) -> {
                        long limit = rs.getLong(3);
                        Long limitUnit = rs.wasNull() ? null : limit;
                        return new Object[] {rs.getLong(1), rs.getLong(2), new IdentityOrigin(IdentityOrigin.CODE, limitUnit, rs.getString(4))};
                    }).findOne();
            if (row.isEmpty()) return (Linking) new Linking.Unknown();
            long unitId = (Long) row.get()[0];
            long person = (Long) row.get()[1];
            MemberDao members = new MemberDao(h);
            Member member = members.find(unitId, person).orElse(null);
            if (member == null) return new Linking.Unknown();
            if (!members.link(person, platform, userId, userName, now, (IdentityOrigin) row.get()[2])) return new Linking.Taken(member);
            h.createUpdate("UPDATE member_link_codes SET used_at = :now WHERE code_hash = :hash")
                    .bind("now", now).bind("hash", hash(code.strip().toUpperCase(java.util.Locale.ROOT))).execute();
            AuditLog.record(h, unitId, now, platform + ":" + userId, "account.linked", "member", person, platform + " by personal code");
            return new Linking.Linked(member);
        });
        if (result instanceof Linking.Linked l) notices.linked(platform, userId, l.member().unitId(), l.member().name());
        return result;
    }

    /**
     * {@code /iam NAME} in a unit's chat: links the sender's account to the member of that name, only when
     * the member has no account on this platform yet and holds no role that signs in to the web pages.
     * Such an identity proves nothing about who sent it, so it never signs in.
     */
    public Linking linkByName(long unitId, String name, String platform, String userId, String userName) {
        Instant now = clock.instant();
        Linking result = jdbi.inTransaction(h -> {
            MemberDao members = new MemberDao(h);
            List<Member> matches = members.byName(unitId, name);
            if (matches.isEmpty()) return (Linking) new Linking.Unknown();
            if (matches.size() > 1) return new Linking.Ambiguous();
            Member member = matches.get(0);
            if (members.identityOwner(platform, userId).filter(p -> p == member.id()).isPresent()) return new Linking.Linked(member);
            if (member.role() != Role.MEMBER) return new Linking.NeedsCode(member);
            if (members.rolesOf(member.id()).values().stream().anyMatch(r -> r != Role.MEMBER)) return new Linking.NeedsCode(member);
            if (!members.link(member.id(), platform, userId, userName, now, IdentityOrigin.SELF_LINKED)) return new Linking.Taken(member);
            AuditLog.record(h, unitId, now, platform + ":" + userId, "account.linked", "member", member.id(), platform + " by /iam");
            return new Linking.Linked(member);
        });
        if (result instanceof Linking.Linked l) notices.linked(platform, userId, unitId, l.member().name());
        return result;
    }

    private static Member requireMember(Handle h, long unitId, long memberId) {
        requireUnit(h, unitId);
        return new MemberDao(h).find(unitId, memberId).orElseThrow(() -> new ConveneException.NotFound("member", memberId));
    }

    private static String hash(String code) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Unit requireUnit(Handle h, long unitId) {
        return h.attach(UnitDao.class).find(unitId).orElseThrow(() -> new ConveneException.NotFound("unit", unitId));
    }
}
