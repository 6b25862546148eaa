package org.convene.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.convene.meeting.UnitDao;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/**
 * Bearer tokens: the admin's from configuration, and per-unit tokens shown once and stored as SHA-256
 * (they are 192 random bits, so a fast hash is enough: nothing to brute-force).
 */
public final class ApiTokens {
    private final Jdbi jdbi;
    private final Clock clock;
    private final RandomGenerator random;
    private final byte[] adminHash;

    public ApiTokens(Jdbi jdbi, Clock clock, RandomGenerator random, String adminToken) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.random = random;
        this.adminHash = sha256(adminToken).getBytes(StandardCharsets.US_ASCII);
    }

    record Issued(long id, String token) {}

    Issued issue(String actor, long unitId, Principal.Kind role, String label) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "cvn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = jdbi.inTransaction(h -> {
            long tokenId = h.createUpdate("""
                    INSERT INTO api_tokens (unit_id, role, label, token_hash, created_at) VALUES (:unit, :role, :label, :hash, :now)""")
                    .bind("unit", unitId).bind("role", role.name().toLowerCase()).bind("label", label)
                    .bind("hash", sha256(token)).bind("now", clock.instant())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            AuditLog.record(h, clock.instant(), actor, "token.issued", "unit", unitId, role.name().toLowerCase() + " " + tokenId);
            return tokenId;
        });
        return new Issued(id, token);
    }

    /** A unit token as listed: never its secret, which is not stored. */
    record Listed(long id, String role, String label, java.time.Instant createdAt, java.time.Instant revokedAt) {}

    List<Listed> ofUnit(long unitId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, role, label, created_at, revoked_at FROM api_tokens WHERE unit_id = :u ORDER BY id")
                .bind("u", unitId)
                .map((rs, ctx) -> {
                    long revoked = rs.getLong(5);
                    return new Listed(rs.getLong(1), rs.getString(2), rs.getString(3), java.time.Instant.ofEpochMilli(rs.getLong(4)),
                            rs.wasNull() ? null : java.time.Instant.ofEpochMilli(revoked));
                }).list());
    }

    /** Revokes a unit's token: every request with it is refused (401) from now on. False when the unit has no such token. */
    boolean revoke(String actor, long unitId, long tokenId) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE api_tokens SET revoked_at = :now WHERE id = :id AND unit_id = :u AND revoked_at IS NULL")
                    .bind("now", clock.instant()).bind("id", tokenId).bind("u", unitId).execute();
            boolean known = h.createQuery("SELECT COUNT(*) FROM api_tokens WHERE id = :id AND unit_id = :u")
                    .bind("id", tokenId).bind("u", unitId).mapTo(Integer.class).one() > 0;
            if (changed > 0) AuditLog.record(h, clock.instant(), actor, "token.revoked", "unit", unitId, "token " + tokenId);
            return known;
        });
    }

    Optional<Principal> resolve(String token) {
        String hash = sha256(token);
        if (MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), adminHash)) return Optional.of(Principal.ADMIN);
        return jdbi.withHandle(h -> h.createQuery("SELECT id, unit_id, role FROM api_tokens WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash)
                .map((rs, ctx) -> {
                    long unit = rs.getLong("unit_id");
                    Principal.Kind kind = "supervisor".equals(rs.getString("role")) ? Principal.Kind.SUPERVISOR : Principal.Kind.SECRETARY;
                    List<Long> scope = kind == Principal.Kind.SUPERVISOR ? h.attach(UnitDao.class).subtreeIds(unit) : List.of(unit);
                    return new Principal(kind, unit, scope, rs.getLong("id"));
                }).findOne());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
