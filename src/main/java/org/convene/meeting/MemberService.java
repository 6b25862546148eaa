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

/**
 * Members of units: one at a time, or a whole roster from CSV with an error per bad line; and the chat
 * accounts linked to them. Who may give which role, and who may link which account, is decided here for
 * the API, the pages and the chat alike.
 */
public final class MemberService {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** A personal code is read aloud or passed by hand: a day to use it. */
    public static final java.time.Duration PERSONAL_CODE_VALIDITY = java.time.Duration.ofHours(24);

    private final Jdbi jdbi;
    private final Clock clock;
    private final java.util.random.RandomGenerator random;
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
        this.jdbi = jdbi;
        this.clock = clock;
        this.random = random;
    }

    /** Set once by the wiring, when the chat platforms exist. */
    public void tellLinksWith(LinkNotices notices) {
        this.notices = notices;
    }

    public Member add(Caller caller, long unitId, Requests.NewMember request) {
        Valid valid = validate(request);
        Member member = jdbi.inTransaction(h -> {
            requireUnit(h, unitId);
            requireMayGive(caller, unitId, valid.role(), null);
            long id = insert(h, unitId, valid, clock.instant(), IdentityOrigin.by(caller, IdentityOrigin.REGISTERED, unitId));
            AuditLog.record(h, clock.instant(), caller.actor(), "member.added", "member", id, valid.name());
            return new MemberDao(h).find(unitId, id).orElseThrow();
        });
        member.accounts().forEach((platform, userId) -> notices.linked(platform, userId, unitId, member.name()));
        return member;
    }

    /**
     * Only the admin or a supervisor of a unit above gives, changes or takes away the supervisor role: a
     * supervisor reaches every unit below, so a secretary who could make one would widen its own reach.
     */
    static void requireMayGive(Caller caller, long unitId, Role role, Role before) {
        boolean touchesSupervisor = role == Role.SUPERVISOR || (before == Role.SUPERVISOR && role != before);
        if (touchesSupervisor && !caller.supervisesFromAbove(unitId)) {
            throw new ConveneException.NotAllowed("role: only the admin or a supervisor of a unit above unit " + unitId
                    + " gives or changes the supervisor role");
        }
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
    public ImportResult importCsv(Caller caller, long unitId, String csv) {
        String actor = caller.actor();
        IdentityOrigin origin = IdentityOrigin.by(caller, IdentityOrigin.REGISTERED, unitId);
        List<String[]> linked = new ArrayList<>();
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
        ImportResult result = jdbi.inTransaction(h -> {
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
                Role before = existing.flatMap(p -> members.find(unitId, p)).map(Member::role).orElse(null);
                try {
                    requireMayGive(caller, unitId, valid.role(), before);
                } catch (ConveneException.NotAllowed e) {
                    errors.add(new LineError(line, e.getMessage()));
                    continue;
                }
                if (existing.isPresent()) {
                    long person = existing.get();
                    members.updatePerson(person, valid.name(), valid.phone());
                    members.updateRole(unitId, person, valid.role());
                    if (valid.telegramUserId() != null) {
                        boolean had = valid.telegramUserId().equals(members.accountOn(person, "telegram").orElse(null));
                        if (!members.link(person, "telegram", valid.telegramUserId(), null, now, origin)) {
                            errors.add(new LineError(line, "telegramUserId " + valid.telegramUserId() + " belongs to another person,"
                                    + " or the member has another Telegram account linked"));
                        } else if (!had) {
                            linked.add(new String[] {"telegram", valid.telegramUserId(), valid.name()});
                        }
                    }
                    updated++;
                } else {
                    if (valid.telegramUserId() != null && members.identityOwner("telegram", valid.telegramUserId()).isPresent()) {
                        errors.add(new LineError(line, "telegramUserId " + valid.telegramUserId() + " belongs to another person"));
                        continue;
                    }
                    insert(h, unitId, valid, now, origin);
                    if (valid.telegramUserId() != null) linked.add(new String[] {"telegram", valid.telegramUserId(), valid.name()});
                    created++;
                }
            }
            AuditLog.record(h, clock.instant(), actor, "members.imported", "unit", unitId,
                    "created=" + created + " updated=" + updated + " errors=" + errors.size());
            return new ImportResult(created, updated, errors);
        });
        linked.forEach(l -> notices.linked(l[0], l[1], unitId, l[2]));
        return result;
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

    private static long insert(Handle h, long unitId, Valid v, Instant now, IdentityOrigin origin) {
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
        if (v.telegramUserId() != null) members.link(person, "telegram", v.telegramUserId(), null, now, origin);
        if (v.zaloUserId() != null) members.link(person, "zalo", v.zaloUserId(), null, now, origin);
        if (v.localUserId() != null) members.link(person, "local", v.localUserId(), v.name(), now, origin);
        return person;
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
            AuditLog.record(h, clock.instant(), caller.actor(), "account.unlinked", "member", memberId, platform + ":" + account);
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
            AuditLog.record(h, now, caller.actor(), "personal-code.issued", "member", memberId, null);
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
            AuditLog.record(h, now, platform + ":" + userId, "account.linked", "member", person, platform + " by personal code");
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
            AuditLog.record(h, now, platform + ":" + userId, "account.linked", "member", member.id(), platform + " by /iam");
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

    static void requireUnit(Handle h, long unitId) {
        if (h.attach(UnitDao.class).find(unitId).isEmpty()) throw new ConveneException.NotFound("unit", unitId);
    }
}
