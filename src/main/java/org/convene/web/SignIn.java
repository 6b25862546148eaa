package org.convene.web;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.convene.meeting.ConveneException;
import org.convene.meeting.MemberDao;
import org.convene.meeting.Role;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Passwordless sign-in to the pages: one-time links (10 minutes, single use) that start a session kept
 * in a cookie, and the admin token typed into a form. Reading who a link is for changes nothing; only
 * {@link #redeem} uses it up. Link and session tokens are 256 random bits, stored only as SHA-256 hashes.
 *
 * <p>The chat platforms call {@link #linkFor(long)} when a secretary sends {@code /login} to the bot in a
 * private chat.
 */
public final class SignIn {
    public static final Duration LINK_VALIDITY = Duration.ofMinutes(10);
    /** The limit of a reading link and its session: the documents of the holder's meetings, and nothing to manage. */
    static final String READER_ONLY = "reader";
    private static final Set<Role> MAY_SIGN_IN = Set.of(Role.SECRETARY, Role.DEPUTY, Role.SUPERVISOR);
    /** A link that still signs in: known, unused, unexpired (binds :hash and :now). */
    private static final String USABLE_LINK = "token_hash = :hash AND used_at IS NULL AND expires_at > :now";

    private final Jdbi jdbi;
    private final Clock clock;
    private final RandomGenerator random;
    private final Supplier<String> publicUrl;
    private final Duration sessionLength;
    private final ApiTokens tokens;

    /** @param publicUrl asked at each use, because the port is known only once the server listens */
    public SignIn(Jdbi jdbi, Clock clock, RandomGenerator random, Supplier<String> publicUrl, Duration sessionLength, ApiTokens tokens) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.random = random;
        this.publicUrl = publicUrl;
        this.sessionLength = sessionLength;
        this.tokens = tokens;
    }

    /** A sign-in link and when it stops working. */
    public record Link(String url, Instant expiresAt) {}

    /** A new session: the cookie's value (shown once), when it ends, and where its link leads ("/" unless it says). */
    record Started(String token, Instant expiresAt, String next) {
        Started(String token, Instant expiresAt) {
            this(token, expiresAt, "/");
        }
    }

    /**
     * A link for a member who is a secretary, deputy or supervisor of some unit (what the bot answers to
     * {@code /login}); {@link ConveneException.NotAllowed} for anyone else.
     */
    public Link linkForAccount(String platform, String userId) {
        return jdbi.inTransaction(h -> {
            MemberDao members = new MemberDao(h);
            var identity = members.identity(platform, userId)
                    .orElseThrow(() -> new ConveneException.NotFound("account " + platform + ":", userId));
            long memberId = identity.getKey();
            org.convene.meeting.IdentityOrigin origin = identity.getValue();
            // an account the member linked to themselves proves nothing about who holds it: it gives no web rights
            if (!origin.signsIn()) {
                throw new ConveneException.NotAllowed("account " + platform + ":" + userId + " was linked by its holder and does not sign in");
            }
            Map<Long, Role> roles = members.rolesOf(memberId);
            if (roles.isEmpty()) throw new ConveneException.NotFound("member", memberId);
            if (roles.entrySet().stream().noneMatch(e -> MAY_SIGN_IN.contains(e.getValue()) && withinLimit(h, origin, e.getKey()))) {
                throw new ConveneException.NotAllowed("member " + memberId + " is not a secretary, deputy or supervisor of a unit this account reaches");
            }
            return mint(h, "chat:" + platform + ":" + userId, memberId, origin.limitUnitId(), origin.limitRole());
        });
    }

    private static boolean withinLimit(Handle h, org.convene.meeting.IdentityOrigin origin, long unitId) {
        if (origin.limitUnitId() == null) return true;
        if (!"supervisor".equals(origin.limitRole())) return origin.limitUnitId() == unitId;
        return h.attach(UnitDao.class).subtreeIds(origin.limitUnitId()).contains(unitId);
    }

    /**
     * A link minted through the API for a secretary, deputy or supervisor of {@code unitId}. A unit token's
     * link reaches no further than the token itself.
     */
    Link linkFor(Principal minter, long unitId, long memberId) {
        return jdbi.inTransaction(h -> {
            Role role = new MemberDao(h).rolesOf(memberId).get(unitId);
            if (role == null) throw new ConveneException.NotFound("member", memberId);
            if (!MAY_SIGN_IN.contains(role)) {
                throw new ConveneException.Invalid("memberId", "sign-in links are for the unit's secretary, deputy or supervisor; member "
                        + memberId + " is a " + role.wire());
            }
            boolean admin = minter.kind() == Principal.Kind.ADMIN;
            return mint(h, minter.actor(), memberId, admin ? null : minter.unitId(), admin ? null : minter.kind().name().toLowerCase());
        });
    }

    /**
     * A link for any member of some unit, to read the documents of their meetings (the pages they reach
     * as a reader only): it leads to {@code nextPath}, a path on this server. What the bot answers to
     * {@code /login} from a member who holds no role that manages, and the personal link to a meeting's papers.
     */
    public Link readerLinkFor(long memberId, String nextPath) {
        return jdbi.inTransaction(h -> {
            if (new MemberDao(h).rolesOf(memberId).isEmpty()) throw new ConveneException.NotFound("member", memberId);
            return mint(h, "chat", memberId, null, READER_ONLY, Pages.localPath(nextPath));
        });
    }

    /**
     * The reading link the bot gives in a private chat ({@code /docs}, or {@code /login} from a member who
     * manages nothing). An account its holder linked with {@code /iam NAME} proves nothing about who holds
     * it, so it gets none: confidential papers would otherwise be one guessed name away.
     */
    public Link readerLinkForAccount(String platform, String userId, String nextPath) {
        return jdbi.inTransaction(h -> {
            MemberDao members = new MemberDao(h);
            var identity = members.identity(platform, userId)
                    .orElseThrow(() -> new ConveneException.NotFound("account " + platform + ":", userId));
            if (!identity.getValue().signsIn()) {
                throw new ConveneException.NotAllowed("account " + platform + ":" + userId + " was linked by its holder and gets no reading link");
            }
            long memberId = identity.getKey();
            if (members.rolesOf(memberId).isEmpty()) throw new ConveneException.NotFound("member", memberId);
            return mint(h, "chat:" + platform + ":" + userId, memberId, null, READER_ONLY, Pages.localPath(nextPath));
        });
    }

    private Link mint(Handle h, String actor, long memberId, Long limitUnit, String limitRole) {
        return mint(h, actor, memberId, limitUnit, limitRole, null);
    }

    private Link mint(Handle h, String actor, long memberId, Long limitUnit, String limitRole, String nextPath) {
        String token = randomToken();
        Instant now = clock.instant();
        Instant expires = now.plus(LINK_VALIDITY);
        h.createUpdate("""
                INSERT INTO login_links (token_hash, person_id, limit_unit_id, limit_role, expires_at, created_at, next_path)
                VALUES (:hash, :person, :unit, :role, :expires, :now, :next)""")
                .bind("hash", ApiTokens.sha256(token)).bind("person", memberId).bind("unit", limitUnit).bind("role", limitRole)
                .bind("expires", expires).bind("now", now).bind("next", nextPath).execute();
        AuditLog.record(h, now, actor, "login-link.issued", "member", memberId, null);
        return new Link(publicUrl.get() + "/login/" + token, expires);
    }

    /** Who a link would sign in: their name and the units where they hold a role that signs in. */
    record Holder(String name, List<Seat> seats) {}

    /** A unit the holder of a link acts on, and their role there. */
    record Seat(Unit unit, Role role) {}

    /**
     * Who a link is for, read without using it up (what the page behind the link shows before its button
     * is pressed): empty when it is unknown, used or expired. A link minted with a unit token names that
     * unit only, as that is all it reaches.
     */
    Optional<Holder> holder(String linkToken) {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> {
            var link = h.createQuery("SELECT person_id, limit_unit_id FROM login_links WHERE " + USABLE_LINK)
                    .bind("now", now).bind("hash", ApiTokens.sha256(linkToken))
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), nullableLong(rs, 2)}).findOne();
            if (link.isEmpty()) return Optional.<Holder>empty();
            long person = (Long) link.get()[0];
            Long limitUnit = (Long) link.get()[1];
            MemberDao members = new MemberDao(h);
            UnitDao units = h.attach(UnitDao.class);
            List<Seat> seats = new ArrayList<>();
            members.rolesOf(person).forEach((unit, role) -> {
                if (MAY_SIGN_IN.contains(role) && (limitUnit == null || limitUnit.equals(unit))) {
                    units.find(unit).ifPresent(u -> seats.add(new Seat(u, role)));
                }
            });
            return Optional.of(new Holder(members.personName(person).orElse("?"), seats));
        });
    }

    /** Uses a link once: empty when it is unknown, used or expired. */
    Optional<Started> redeem(String linkToken) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            // the update is the check: of two clicks racing, only one changes the row
            int used = h.createUpdate("UPDATE login_links SET used_at = :now WHERE " + USABLE_LINK)
                    .bind("now", now).bind("hash", ApiTokens.sha256(linkToken)).execute();
            if (used == 0) return Optional.<Started>empty();
            var link = h.createQuery("SELECT person_id, limit_unit_id, limit_role, next_path FROM login_links WHERE token_hash = :hash")
                    .bind("hash", ApiTokens.sha256(linkToken))
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), nullableLong(rs, 2), rs.getString(3), rs.getString(4)}).one();
            Started started = startSession(h, (Long) link[0], (Long) link[1], (String) link[2], now);
            AuditLog.record(h, now, "person:" + link[0], "web.signed-in", "member", link[0], "link");
            return Optional.of(link[3] == null ? started : new Started(started.token(), started.expiresAt(), (String) link[3]));
        });
    }

    /** The admin token typed into the sign-in form; empty for any other text. */
    Optional<Started> admin(String adminToken) {
        if (adminToken == null || adminToken.isBlank()) return Optional.empty();
        Optional<Principal> principal = tokens.resolve(adminToken.strip()).filter(p -> p.kind() == Principal.Kind.ADMIN);
        if (principal.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        return Optional.of(jdbi.inTransaction(h -> {
            Started started = startSession(h, null, null, null, now);
            AuditLog.record(h, now, "admin", "web.signed-in", "session", null, "admin token");
            return started;
        }));
    }

    private Started startSession(Handle h, Long personId, Long limitUnit, String limitRole, Instant now) {
        String token = randomToken();
        Instant expires = now.plus(sessionLength);
        h.createUpdate("""
                INSERT INTO web_sessions (token_hash, person_id, limit_unit_id, limit_role, csrf_token, expires_at, created_at)
                VALUES (:hash, :person, :unit, :role, :csrf, :expires, :now)""")
                .bind("hash", ApiTokens.sha256(token)).bind("person", personId).bind("unit", limitUnit).bind("role", limitRole)
                .bind("csrf", randomToken()).bind("expires", expires).bind("now", now).execute();
        return new Started(token, expires);
    }

    /** The address links point to. */
    public String publicUrl() {
        return publicUrl.get();
    }

    Duration sessionLength() {
        return sessionLength;
    }

    /**
     * Who holds a session cookie, with the units they reach now (roles may have changed since sign-in);
     * empty when the session is unknown, ended or expired, or its holder no longer has a role that signs in.
     */
    Optional<Viewer> viewer(String sessionToken) {
        if (sessionToken == null || sessionToken.isBlank()) return Optional.empty();
        Instant now = clock.instant();
        return jdbi.withHandle(h -> {
            var row = h.createQuery("""
                            SELECT id, person_id, limit_unit_id, limit_role, csrf_token FROM web_sessions
                            WHERE token_hash = :hash AND ended_at IS NULL AND expires_at > :now""")
                    .bind("hash", ApiTokens.sha256(sessionToken)).bind("now", now)
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), nullableLong(rs, 2), nullableLong(rs, 3),
                            rs.getString(4), rs.getString(5)})
                    .findOne();
            if (row.isEmpty()) return Optional.<Viewer>empty();
            Object[] r = row.get();
            long sessionId = (Long) r[0];
            Long person = (Long) r[1];
            String csrf = (String) r[4];
            if (person == null) return Optional.of(new Viewer(sessionId, null, "Admin", true, List.of(), List.of(), List.of(), csrf, List.of()));
            UnitDao units = h.attach(UnitDao.class);
            MemberDao members = new MemberDao(h);
            Set<Long> scope = new LinkedHashSet<>();
            Set<Long> below = new LinkedHashSet<>();
            Set<Long> supervised = new LinkedHashSet<>();
            Map<Long, Role> roles = members.rolesOf(person);
            roles.forEach((unit, role) -> {
                if (role == Role.SUPERVISOR) {
                    List<Long> subtree = units.subtreeIds(unit);
                    scope.addAll(subtree);
                    supervised.addAll(subtree);
                    subtree.stream().filter(u -> u != unit.longValue()).forEach(below::add);
                } else if (role == Role.SECRETARY || role == Role.DEPUTY) scope.add(unit);
            });
            boolean readerOnly = READER_ONLY.equals(r[3]);
            if (readerOnly) {
                // a reading link's session manages nothing, whatever roles its holder has: it was given to read
                scope.clear();
                below.clear();
                supervised.clear();
            } else if (r[2] != null) {
                long limitUnit = (Long) r[2];
                List<Long> limit = "supervisor".equals(r[3]) ? units.subtreeIds(limitUnit) : List.of(limitUnit);
                scope.retainAll(limit);
                // a session narrowed to a secretary's reach gives no supervisor's rights, and a supervisor's
                // reach ends where its own unit does
                if ("supervisor".equals(r[3])) {
                    below.retainAll(limit.stream().filter(u -> u != limitUnit).toList());
                    supervised.retainAll(limit);
                } else {
                    below.clear();
                    supervised.clear();
                }
            }
            // a session narrowed to a unit token's reach reads no more than it manages
            List<Long> memberOf = r[2] == null || readerOnly ? new ArrayList<>(roles.keySet()) : List.of();
            if (scope.isEmpty() && memberOf.isEmpty()) return Optional.<Viewer>empty();
            String name = members.personName(person).orElse("?");
            return Optional.of(new Viewer(sessionId, person, name, false, new ArrayList<>(scope), new ArrayList<>(supervised), new ArrayList<>(below),
                    csrf, memberOf));
        });
    }

    /** Signs out: the session stops working at once, wherever its cookie is. */
    void end(Viewer viewer) {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE web_sessions SET ended_at = :now WHERE id = :id").bind("now", now).bind("id", viewer.sessionId()).execute();
            AuditLog.record(h, now, viewer.actor(), "web.signed-out", "session", viewer.sessionId(), null);
        });
    }

    /**
     * Signs a person out everywhere: every session of theirs stops working at once, on every device. The
     * count is how many were still open.
     */
    int endAll(String actor, long personId) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            int ended = h.createUpdate("UPDATE web_sessions SET ended_at = :now WHERE person_id = :p AND ended_at IS NULL AND expires_at > :now")
                    .bind("now", now).bind("p", personId).execute();
            AuditLog.record(h, now, actor, "web.signed-out-everywhere", "member", personId, ended + " sessions");
            return ended;
        });
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares secrets in constant time, so a CSRF token cannot be guessed a character at a time. */
    static boolean same(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A signed-in person (or the admin), the units they may see and change ({@code scope}), and the units
     * they belong to ({@code memberOf}: a member without a managing role reads their meetings' documents only).
     */
    record Viewer(long sessionId, Long personId, String name, boolean admin, List<Long> scope, List<Long> supervised, List<Long> below,
                  String csrf, List<Long> memberOf) {
        boolean canSee(long unitId) {
            return admin || scope.contains(unitId);
        }

        /** Whether the secretary's pages are open to this session; a reader only is not signed in there. */
        boolean manages() {
            return admin || !scope.isEmpty();
        }

        org.convene.meeting.DocumentReading.Reader reader() {
            return new org.convene.meeting.DocumentReading.Reader(personId, name, admin, scope);
        }

        /** The same caller as the services see it. */
        org.convene.meeting.Caller caller() {
            return admin ? org.convene.meeting.Caller.admin(actor())
                    : new org.convene.meeting.Caller(actor(), false, new java.util.HashSet<>(scope), new java.util.HashSet<>(supervised),
                            new java.util.HashSet<>(below));
        }

        String actor() {
            return admin ? "admin:web" : "person:" + personId;
        }
    }
}
