package org.convene.meeting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Persons, their memberships in units and their chat identities. */
public final class MemberDao {
    private final Handle h;

    public MemberDao(Handle handle) {
        this.h = handle;
    }

    public long insertPerson(String name, String phone, Instant now) {
        return h.createUpdate("INSERT INTO persons (name, name_key, phone, created_at) VALUES (:name, :key, :phone, :now)")
                .bind("name", name).bind("key", NameKey.of(name)).bind("phone", phone).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public void updatePerson(long personId, String name, String phone) {
        h.createUpdate("UPDATE persons SET name = :name, name_key = :key, phone = COALESCE(:phone, phone) WHERE id = :id")
                .bind("id", personId).bind("name", name).bind("key", NameKey.of(name)).bind("phone", phone).execute();
    }

    public void insertMembership(long unitId, long personId, Role role, Instant now) {
        h.createUpdate("INSERT INTO memberships (unit_id, person_id, role, created_at) VALUES (:unit, :person, :role, :now)")
                .bind("unit", unitId).bind("person", personId).bind("role", role.wire()).bind("now", now).execute();
    }

    public void updateRole(long unitId, long personId, Role role) {
        h.createUpdate("UPDATE memberships SET role = :role WHERE unit_id = :unit AND person_id = :person")
                .bind("unit", unitId).bind("person", personId).bind("role", role.wire()).execute();
    }

    /**
     * Links a chat account to a person, remembering who made the link; an account already linked to someone
     * else is left alone (false), and so is a person who has another account on that platform.
     */
    public boolean link(long personId, String platform, String userId, String userName, Instant now, IdentityOrigin origin) {
        Optional<Long> owner = identityOwner(platform, userId);
        if (owner.isPresent()) return owner.get() == personId;
        if (accountOn(personId, platform).isPresent()) return false;
        h.createUpdate("""
                INSERT INTO identities (person_id, platform, user_id, user_name, created_at, origin, limit_unit_id, limit_role)
                VALUES (:person, :platform, :user, :name, :now, :origin, :limitUnit, :limitRole)""")
                .bind("person", personId).bind("platform", platform).bind("user", userId)
                .bind("name", userName).bind("now", now).bind("origin", origin.kind())
                .bind("limitUnit", origin.limitUnitId()).bind("limitRole", origin.limitRole()).execute();
        return true;
    }

    /** The person's account on a platform, if one is linked. */
    public Optional<String> accountOn(long personId, String platform) {
        return h.createQuery("SELECT user_id FROM identities WHERE person_id = :p AND platform = :platform")
                .bind("p", personId).bind("platform", platform).mapTo(String.class).findFirst();
    }

    /** A linked chat account as the secretary sees it: which platform, which account, how and when it was linked. */
    public record Account(String platform, String userId, String userName, String origin, Instant linkedAt) {}

    public List<Account> accounts(long personId) {
        return h.createQuery("SELECT platform, user_id, user_name, origin, created_at FROM identities WHERE person_id = :p ORDER BY id")
                .bind("p", personId)
                .map((rs, ctx) -> new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5)))).list();
    }

    /** Removes the person's account on a platform; false when there was none. */
    public boolean unlink(long personId, String platform) {
        return h.createUpdate("DELETE FROM identities WHERE person_id = :p AND platform = :platform")
                .bind("p", personId).bind("platform", platform).execute() > 0;
    }

    /** Who made an account's identity, and so what sign-in it gives. */
    public Optional<Map.Entry<Long, IdentityOrigin>> identity(String platform, String userId) {
        return h.createQuery("SELECT person_id, origin, limit_unit_id, limit_role FROM identities WHERE platform = :p AND user_id = :u")
                .bind("p", platform).bind("u", userId)
                .map((rs, ctx) -> {
                    long unit = rs.getLong(3);
                    Long limitUnit = rs.wasNull() ? null : unit;
                    return Map.entry(rs.getLong(1), new IdentityOrigin(rs.getString(2), limitUnit, rs.getString(4)));
                }).findOne();
    }

    public Optional<Long> identityOwner(String platform, String userId) {
        return h.createQuery("SELECT person_id FROM identities WHERE platform = :p AND user_id = :u")
                .bind("p", platform).bind("u", userId).mapTo(Long.class).findOne();
    }

    public Optional<Member> find(long unitId, long personId) {
        return list(unitId, personId).stream().findFirst();
    }

    public List<Member> ofUnit(long unitId) {
        return list(unitId, null);
    }

    /** Members of the unit whose name matches {@code name} without regard to case or diacritics. */
    public List<Member> byName(long unitId, String name) {
        String key = NameKey.of(name);
        return ofUnit(unitId).stream().filter(m -> NameKey.of(m.name()).equals(key)).toList();
    }

    private List<Member> list(long unitId, Long personId) {
        Map<Long, String[]> rows = new LinkedHashMap<>();
        Map<Long, Map<String, String>> accounts = new LinkedHashMap<>();
        h.createQuery("""
                SELECT p.id, p.name, p.phone, m.role, i.platform, i.user_id
                FROM memberships m JOIN persons p ON p.id = m.person_id
                LEFT JOIN identities i ON i.person_id = p.id
                WHERE m.unit_id = :unit AND (:person IS NULL OR p.id = :person)
                ORDER BY p.id, i.id""")
                .bind("unit", unitId).bind("person", personId)
                .map((rs, ctx) -> {
                    long id = rs.getLong("id");
                    rows.putIfAbsent(id, new String[] {rs.getString("name"), rs.getString("phone"), rs.getString("role")});
                    Map<String, String> acc = accounts.computeIfAbsent(id, k -> new LinkedHashMap<>());
                    if (rs.getString("platform") != null) acc.putIfAbsent(rs.getString("platform"), rs.getString("user_id"));
                    return id;
                }).list();
        List<Member> members = new ArrayList<>();
        rows.forEach((id, r) -> members.add(new Member(id, unitId, r[0], Role.parse(r[2]).orElse(Role.MEMBER), r[1], accounts.get(id))));
        return members;
    }

    public Optional<Long> personByPhone(long unitId, String phone) {
        return h.createQuery("""
                SELECT p.id FROM persons p JOIN memberships m ON m.person_id = p.id
                WHERE m.unit_id = :unit AND p.phone = :phone""")
                .bind("unit", unitId).bind("phone", phone).mapTo(Long.class).findFirst();
    }

    public int countMembers(long unitId) {
        return h.createQuery("SELECT COUNT(*) FROM memberships WHERE unit_id = :unit")
                .bind("unit", unitId).mapTo(Integer.class).one();
    }

    /** A person's role in each unit they belong to: who may sign in to the pages, and for which units. */
    public Map<Long, Role> rolesOf(long personId) {
        Map<Long, Role> roles = new LinkedHashMap<>();
        h.createQuery("SELECT unit_id, role FROM memberships WHERE person_id = :person ORDER BY unit_id")
                .bind("person", personId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), Role.parse(rs.getString(2)).orElse(Role.MEMBER))).list()
                .forEach(e -> roles.put(e.getKey(), e.getValue()));
        return roles;
    }

    public Optional<String> personName(long personId) {
        return h.createQuery("SELECT name FROM persons WHERE id = :id").bind("id", personId).mapTo(String.class).findOne();
    }
}
