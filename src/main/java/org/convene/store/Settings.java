package org.convene.store;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;

/** Named values every node shares, made once: secrets generated on first use, offsets that survive restarts. */
public final class Settings {
    private final Jdbi jdbi;
    private final Clock clock;

    public Settings(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Optional<String> get(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = :n").bind("n", name).mapTo(String.class).findOne());
    }

    public void put(String name, String value) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, :at)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""")
                .bind("n", name).bind("v", value).bind("at", clock.instant()).execute());
    }

    /**
     * The secret stored under {@code name}, made of {@code bytes} random bytes (hex) the first time it is
     * asked for. Two nodes asking at once agree: the first insert wins and both read it back.
     */
    public String secret(String name, int bytes, RandomGenerator random) {
        Optional<String> existing = get(name);
        if (existing.isPresent()) return existing.get();
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, :at) ON CONFLICT (name) DO NOTHING")
                .bind("n", name).bind("v", HexFormat.of().formatHex(raw)).bind("at", clock.instant()).execute());
        return get(name).orElseThrow();
    }
}
