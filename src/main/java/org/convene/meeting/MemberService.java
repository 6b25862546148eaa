package org.convene.meeting;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
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
        if (request.personId() != null) return addPerson(actor, unitId, request);
        Valid valid = validate(request);
        return jdbi.inTransaction(h -> {
            requireUnit(h, unitId);
            long id = insert(h, unitId, valid, clock.instant());
            AuditLog.record(h, unitId, clock.instant(), actor, "member.added", "member", id, valid.name());
            return new MemberDao(h).find(unitId, id).orElseThrow();
        });
    }

    /** An existing person joins one more unit, with a role, status and dates of its own there. */
    private Member addPerson(String actor, long unitId, Requests.NewMember request) {
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
            Instant now = clock.instant();
            requireFreeAccounts(members, valid, personId);
            members.insertMembership(unitId, personId, valid.role(), valid.status(), valid.joinedOn(), now);
            linkAccounts(members, personId, valid, name, now);
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
    public Member change(String actor, long unitId, long memberId, Requests.MemberChange change) {
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
    public void delete(String actor, long unitId, long memberId) {
        jdbi.useTransaction(h -> {
            requireUnit(h, unitId);
            MemberDao members = new MemberDao(h);
            Member member = members.find(unitId, memberId).orElseThrow(() -> new ConveneException.NotFound("member", memberId));
            if (members.references(unitId, memberId) > 0) {
                throw new ConveneException.Conflict("member " + memberId + " has answers, attendance or tasks in this unit;"
                        + " end the membership instead (PATCH leftOn and leftReason)");
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

    public record LineError(long line, String message) {}

    /**
     * Imports {@code name,role,phone,telegramUserId} rows (a header line is optional). A row whose
     * phone or Telegram account matches an existing member updates that member; the good rows land
     * even when others are wrong, each wrong one is reported with its line.
     */
    public ImportResult importCsv(String actor, long unitId, String csv) {
        List<CSVRecord> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (Reader reader = new StringReader(csv.startsWith("\uFEFF") ? csv.substring(1) : csv);
             CSVParser parser = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get().parse(reader)) {
            for (CSVRecord r : parser) {
                records.add(r);
                lines.add(parser.getCurrentLineNumber()); // the file's line, blank lines included, not the record's number
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new ConveneException.Invalid("body", "is not readable CSV: " + e.getMessage());
        }
        return jdbi.inTransaction(h -> {
            requireUnit(h, unitId);
            MemberDao members = new MemberDao(h);
            int created = 0;
            int updated = 0;
            List<LineError> errors = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                CSVRecord r = records.get(i);
                long line = lines.get(i);
                if (r.getRecordNumber() == 1 && "name".equalsIgnoreCase(r.get(0))) continue;
                Requests.NewMember request = new Requests.NewMember(col(r, 0), col(r, 1), col(r, 2), col(r, 3), null);
                Valid valid;
                try {
                    valid = validate(request);
                } catch (ConveneException.Invalid e) {
                    errors.add(new LineError(line, e.getMessage()));
                    continue;
                }
                Optional<Long> existing = valid.phone() == null ? Optional.empty() : members.personByPhone(unitId, valid.phone());
                if (existing.isEmpty() && valid.telegramUserId() != null) {
                    existing = members.identityOwner("telegram", valid.telegramUserId())
                            .filter(p -> members.find(unitId, p).isPresent());
                }
                Instant now = clock.instant();
                if (existing.isPresent()) {
                    long person = existing.get();
                    members.updatePerson(person, valid.name(), valid.phone());
                    members.updateRole(unitId, person, valid.role());
                    if (valid.telegramUserId() != null && !members.link(person, "telegram", valid.telegramUserId(), null, now)) {
                        errors.add(new LineError(line, "telegramUserId " + valid.telegramUserId() + " belongs to another person"));
                    }
                    updated++;
                } else {
                    if (valid.telegramUserId() != null && members.identityOwner("telegram", valid.telegramUserId()).isPresent()) {
                        errors.add(new LineError(line, "telegramUserId " + valid.telegramUserId() + " belongs to another person"));
                        continue;
                    }
                    insert(h, unitId, valid, now);
                    created++;
                }
            }
            AuditLog.record(h, unitId, clock.instant(), actor, "members.imported", "unit", unitId,
                    "created=" + created + " updated=" + updated + " errors=" + errors.size());
            return new ImportResult(created, updated, errors);
        });
    }

    private static String col(CSVRecord r, int i) {
        return i < r.size() && !r.get(i).isEmpty() ? r.get(i) : null;
    }

    private record Valid(String name, Role role, String phone, String telegramUserId, String zaloUserId, String localUserId,
                         MemberStatus status, LocalDate joinedOn) {}

    private static Valid validate(Requests.NewMember request) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) errors.add(new FieldError("name", "is required"));
        if (name.length() > 200) errors.add(new FieldError("name", "is longer than 200 characters"));
        Optional<Role> role = Role.parse(request.role());
        if (role.isEmpty()) errors.add(new FieldError("role", "must be one of secretary, deputy, member, supervisor"));
        String phone = blankToNull(request.phone());
        if (phone != null && !phone.matches("\\+?[0-9 .-]{6,20}")) errors.add(new FieldError("phone", "is not a phone number"));
        String telegram = blankToNull(request.telegramUserId());
        if (telegram != null && !telegram.matches("[0-9]{1,20}")) errors.add(new FieldError("telegramUserId", "must be the numeric Telegram user id"));
        String zalo = blankToNull(request.zaloUserId());
        if (zalo != null && zalo.length() > 64) errors.add(new FieldError("zaloUserId", "is longer than 64 characters"));
        String local = blankToNull(request.localUserId());
        if (local != null && local.length() > 64) errors.add(new FieldError("localUserId", "is longer than 64 characters"));
        Optional<MemberStatus> status = request.status() == null ? Optional.of(MemberStatus.OFFICIAL) : MemberStatus.parse(request.status());
        if (status.isEmpty()) errors.add(new FieldError("status", "must be one of official, probationary, exempt, temporary"));
        LocalDate joinedOn = date(request.joinedOn(), "joinedOn", errors);
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return new Valid(name, role.orElseThrow(), phone == null ? null : phone.replaceAll("[ .-]", ""), telegram, zalo, local,
                status.orElseThrow(), joinedOn);
    }

    private static long insert(Handle h, long unitId, Valid v, Instant now) {
        MemberDao members = new MemberDao(h);
        requireFreeAccounts(members, v, null);
        long person = members.insertPerson(v.name(), v.phone(), now);
        members.insertMembership(unitId, person, v.role(), v.status(), v.joinedOn(), now);
        linkAccounts(members, person, v, v.name(), now);
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

    private static void linkAccounts(MemberDao members, long person, Valid v, String name, Instant now) {
        if (v.telegramUserId() != null) members.link(person, "telegram", v.telegramUserId(), null, now);
        if (v.zaloUserId() != null) members.link(person, "zalo", v.zaloUserId(), null, now);
        if (v.localUserId() != null) members.link(person, "local", v.localUserId(), name, now);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Unit requireUnit(Handle h, long unitId) {
        return h.attach(UnitDao.class).find(unitId).orElseThrow(() -> new ConveneException.NotFound("unit", unitId));
    }
}
