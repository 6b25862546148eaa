package org.convene.meeting;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
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
    /**
     * One transaction of an import ends after this many rows or this long, whichever comes first: short enough
     * that other units' answers and reminders get the writer in between (a row costs a few ms on a busy machine).
     */
    static final int IMPORT_CHUNK = 100;
    static final long IMPORT_CHUNK_NANOS = 100_000_000L;

    private final Jdbi jdbi;
    private final Clock clock;
    private final int maxImportRows;

    public MemberService(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, 5000);
    }

    /** @param maxImportRows rows one import may hold (the operator's {@code limits.importRows}) */
    public MemberService(Jdbi jdbi, Clock clock, int maxImportRows) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.maxImportRows = maxImportRows;
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
                if (records.size() > maxImportRows + 1) break; // already over the limit: the rest need not be read
                records.add(r);
                lines.add(parser.getCurrentLineNumber()); // the file's line, blank lines included, not the record's number
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new ConveneException.Invalid("body", "is not readable CSV: " + e.getMessage());
        }
        boolean header = !records.isEmpty() && "name".equalsIgnoreCase(records.get(0).get(0));
        int rows = records.size() - (header ? 1 : 0);
        if (rows > maxImportRows) {
            throw new ConveneException.TooLarge("the import has more than " + maxImportRows + " rows, the limit of one import"
                    + " (limits.importRows): split the file");
        }
        jdbi.useHandle(h -> requireUnit(h, unitId));
        // applied in chunks, each its own transaction: SQLite has one writer, and a 5,000-row import in one
        // transaction held it for seconds while other units' answers waited; a chunk is re-runnable (rows match by phone)
        Tally tally = new Tally();
        int from = header ? 1 : 0;
        while (from < records.size()) {
            int start = from;
            from = jdbi.inTransaction(h -> {
                MemberDao members = new MemberDao(h);
                long began = System.nanoTime();
                int i = start;
                while (i < records.size() && i - start < IMPORT_CHUNK && System.nanoTime() - began < IMPORT_CHUNK_NANOS) {
                    importRow(h, members, unitId, records.get(i), lines.get(i), tally);
                    i++;
                }
                return i;
            });
        }
        jdbi.useTransaction(h -> AuditLog.record(h, clock.instant(), actor, "members.imported", "unit", unitId,
                "created=" + tally.created + " updated=" + tally.updated + " errors=" + tally.errors.size()));
        return new ImportResult(tally.created, tally.updated, tally.errors);
    }

    /** What an import did so far, chunk after chunk. */
    private static final class Tally {
        int created;
        int updated;
        final List<LineError> errors = new ArrayList<>();
    }

    private void importRow(Handle h, MemberDao members, long unitId, CSVRecord r, long line, Tally tally) {
        Requests.NewMember request = new Requests.NewMember(col(r, 0), col(r, 1), col(r, 2), col(r, 3), null);
        Valid valid;
        try {
            valid = validate(request);
        } catch (ConveneException.Invalid e) {
            tally.errors.add(new LineError(line, e.getMessage()));
            return;
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
                tally.errors.add(new LineError(line, "telegramUserId " + valid.telegramUserId() + " belongs to another person"));
            }
            tally.updated++;
        } else {
            if (valid.telegramUserId() != null && members.identityOwner("telegram", valid.telegramUserId()).isPresent()) {
                tally.errors.add(new LineError(line, "telegramUserId " + valid.telegramUserId() + " belongs to another person"));
                return;
            }
            insert(h, unitId, valid, now);
            tally.created++;
        }
    }

    private static String col(CSVRecord r, int i) {
        return i < r.size() && !r.get(i).isEmpty() ? r.get(i) : null;
    }

    private record Valid(String name, Role role, String phone, String telegramUserId, String zaloUserId, String localUserId) {}

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
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return new Valid(name, role.orElseThrow(), phone == null ? null : phone.replaceAll("[ .-]", ""), telegram, zalo, local);
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
