package org.convene.meeting;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Members of units: one at a time, or a whole roster from CSV with an error per bad line. */
public final class MemberService {
    private final Jdbi jdbi;
    private final Clock clock;

    public MemberService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Member add(String actor, long unitId, Requests.NewMember request) {
        Valid valid = validate(request);
        return jdbi.inTransaction(h -> {
            requireUnit(h, unitId);
            long id = insert(h, unitId, valid, clock.instant());
            AuditLog.record(h, clock.instant(), actor, "member.added", "member", id, valid.name());
            return new MemberDao(h).find(unitId, id).orElseThrow();
        });
    }

    public List<Member> list(long unitId) {
        return jdbi.withHandle(h -> {
            requireUnit(h, unitId);
            return new MemberDao(h).ofUnit(unitId);
        });
    }

    public Member get(long unitId, long memberId) {
        return jdbi.withHandle(h -> new MemberDao(h).find(unitId, memberId))
                .orElseThrow(() -> new ConveneException.NotFound("member", memberId));
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
        MemberCsv.Roster roster = MemberCsv.read(csv);
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
    public ImportResult importCsv(String actor, long unitId, String csv) {
        MemberCsv.Roster roster = MemberCsv.read(csv);
        return jdbi.inTransaction(h -> {
            requireUnit(h, unitId);
            MemberDao members = new MemberDao(h);
            int created = 0;
            int updated = 0;
            List<LineError> errors = new ArrayList<>();
            for (MemberCsv.Row row : roster.rows()) {
                Instant now = clock.instant();
                switch (plan(members, unitId, row, new HashSet<>())) {
                    case Refused r -> errors.add(r.error());
                    case Update u -> {
                        members.updatePerson(u.memberId(), u.name(), u.phone());
                        members.updateRole(unitId, u.memberId(), u.role());
                        String telegram = row.get(MemberCsv.Column.TELEGRAM_USER_ID);
                        if (telegram != null) members.link(u.memberId(), "telegram", telegram, null, now);
                        updated++;
                    }
                    case Create c -> {
                        insert(h, unitId, new Valid(c.name(), c.role(), c.phone(), row.get(MemberCsv.Column.TELEGRAM_USER_ID), null, null), now);
                        created++;
                    }
                }
            }
            AuditLog.record(h, clock.instant(), actor, "members.imported", "unit", unitId,
                    "created=" + created + " updated=" + updated + " errors=" + errors.size());
            return new ImportResult(created, updated, errors);
        });
    }

    /**
     * What a row does, read against the stored members. {@code seen} carries the phones earlier rows of
     * a preview would create, so that a phone twice in one file previews as create then update (of member 0,
     * not stored yet), as the import does it.
     */
    private static RowPlan plan(MemberDao members, long unitId, MemberCsv.Row row, Set<String> seen) {
        String telegram = row.get(MemberCsv.Column.TELEGRAM_USER_ID);
        Requests.NewMember request = new Requests.NewMember(row.get(MemberCsv.Column.NAME), row.get(MemberCsv.Column.ROLE),
                row.get(MemberCsv.Column.PHONE), telegram, null);
        List<Problem> problems = problems(request);
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
        if (existing.isPresent()) return new Update(row.line(), existing.get(), valid.name(), valid.role(), valid.phone());
        if (valid.phone() != null) seen.add(valid.phone());
        return new Create(row.line(), valid.name(), valid.role(), valid.phone());
    }

    private record Valid(String name, Role role, String phone, String telegramUserId, String zaloUserId, String localUserId) {}

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
                blankToNull(request.telegramUserId()), blankToNull(request.zaloUserId()), blankToNull(request.localUserId()));
    }

    private static long insert(Handle h, long unitId, Valid v, Instant now) {
        MemberDao members = new MemberDao(h);
        if (v.telegramUserId() != null && members.identityOwner("telegram", v.telegramUserId()).isPresent()) {
            throw new ConveneException.Conflict("telegramUserId " + v.telegramUserId() + " is already linked to another person");
        }
        if (v.localUserId() != null && members.identityOwner("local", v.localUserId()).isPresent()) {
            throw new ConveneException.Conflict("localUserId " + v.localUserId() + " is already linked to another person");
        }
        if (v.zaloUserId() != null && members.identityOwner("zalo", v.zaloUserId()).isPresent()) {
            throw new ConveneException.Conflict("zaloUserId " + v.zaloUserId() + " is already linked to another person");
        }
        long person = members.insertPerson(v.name(), v.phone(), now);
        members.insertMembership(unitId, person, v.role(), now);
        if (v.telegramUserId() != null) members.link(person, "telegram", v.telegramUserId(), null, now);
        if (v.zaloUserId() != null) members.link(person, "zalo", v.zaloUserId(), null, now);
        if (v.localUserId() != null) members.link(person, "local", v.localUserId(), v.name(), now);
        return person;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static void requireUnit(Handle h, long unitId) {
        if (h.attach(UnitDao.class).find(unitId).isEmpty()) throw new ConveneException.NotFound("unit", unitId);
    }
}
