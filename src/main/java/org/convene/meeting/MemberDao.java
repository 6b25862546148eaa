package org.convene.meeting;

import java.time.Instant;
import java.time.LocalDate;
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
        insertMembership(unitId, personId, role, MemberStatus.OFFICIAL, null, now);
    }

    public void insertMembership(long unitId, long personId, Role role, MemberStatus status, LocalDate joinedOn, Instant now) {
        h.createUpdate("INSERT INTO memberships (unit_id, person_id, role, joined_on, created_at) VALUES (:unit, :person, :role, :joined, :now)")
                .bind("unit", unitId).bind("person", personId).bind("role", role.wire())
                .bind("joined", joinedOn == null ? null : joinedOn.toString()).bind("now", now).execute();
        setStatus(unitId, personId, status, null, now);
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

    /** The membership with its status as of today's last change (the latest status set). */
    public Optional<Member> find(long unitId, long personId) {
        return list(unitId, personId, null).stream().findFirst();
    }

    /** Every membership of the unit, former ones included, each with the status in force on {@code statusOn} (null: the latest). */
    public List<Member> ofUnit(long unitId, LocalDate statusOn) {
        return list(unitId, null, statusOn);
    }

    /** Every membership of the unit, former ones included, each with its latest status. */
    public List<Member> ofUnit(long unitId) {
        return list(unitId, null, null);
    }

    /** The roster of a day: members who had joined and not yet left, with the status of that day. */
    public List<Member> onDay(long unitId, LocalDate day) {
        return list(unitId, null, day).stream().filter(m -> m.memberOn(day)).toList();
    }

    /** Members of the unit today whose name matches {@code name} without regard to case or diacritics. */
    public List<Member> byName(long unitId, String name) {
        String key = NameKey.of(name);
        return ofUnit(unitId).stream().filter(m -> m.leftOn() == null && NameKey.of(m.name()).equals(key)).toList();
    }

    private record Row(String name, String phone, String role, String joinedOn, String leftOn, String leftReason) {}

    private record StatusFrom(String status, String fromOn) {}

    private List<Member> list(long unitId, Long personId, LocalDate statusOn) {
        Map<Long, Row> rows = new LinkedHashMap<>();
        Map<Long, Map<String, String>> accounts = new LinkedHashMap<>();
        h.createQuery("""
                SELECT p.id, p.name, p.phone, m.role, m.joined_on, m.left_on, m.left_reason, i.platform, i.user_id
                FROM memberships m JOIN persons p ON p.id = m.person_id
                LEFT JOIN identities i ON i.person_id = p.id
                WHERE m.unit_id = :unit AND (:person IS NULL OR p.id = :person)
                ORDER BY p.id, i.id""")
                .bind("unit", unitId).bind("person", personId)
                .map((rs, ctx) -> {
                    long id = rs.getLong("id");
                    rows.putIfAbsent(id, new Row(rs.getString("name"), rs.getString("phone"), rs.getString("role"),
                            rs.getString("joined_on"), rs.getString("left_on"), rs.getString("left_reason")));
                    Map<String, String> acc = accounts.computeIfAbsent(id, k -> new LinkedHashMap<>());
                    if (rs.getString("platform") != null) acc.putIfAbsent(rs.getString("platform"), rs.getString("user_id"));
                    return id;
                }).list();
        Map<Long, List<StatusFrom>> statuses = new LinkedHashMap<>();
        h.createQuery("""
                SELECT person_id, status, from_on FROM membership_statuses
                WHERE unit_id = :unit AND (:person IS NULL OR person_id = :person)
                ORDER BY person_id, COALESCE(from_on, ''), id""")
                .bind("unit", unitId).bind("person", personId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), new StatusFrom(rs.getString(2), rs.getString(3)))).list()
                .forEach(e -> statuses.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        List<Member> members = new ArrayList<>();
        rows.forEach((id, r) -> members.add(new Member(id, unitId, r.name(), Role.parse(r.role()).orElse(Role.MEMBER), r.phone(),
                accounts.get(id), statusOn(statuses.getOrDefault(id, List.of()), statusOn), date(r.joinedOn()), date(r.leftOn()),
                MemberStatus.LeftReason.parse(r.leftReason()).orElse(null))));
        return members;
    }

    /** The last status in force on {@code day}; before the first change, the first status; with no day, the latest. */
    private static MemberStatus statusOn(List<StatusFrom> history, LocalDate day) {
        if (history.isEmpty()) return MemberStatus.OFFICIAL;
        String status = history.getFirst().status();
        for (StatusFrom s : history) {
            if (day == null || s.fromOn() == null || !LocalDate.parse(s.fromOn()).isAfter(day)) status = s.status();
        }
        return MemberStatus.parse(status).orElse(MemberStatus.OFFICIAL);
    }

    private static LocalDate date(String iso) {
        return iso == null ? null : LocalDate.parse(iso);
    }

    /** Sets the status from a day on (null: since the membership began), replacing what was set from that same day. */
    public void setStatus(long unitId, long personId, MemberStatus status, LocalDate fromOn, Instant now) {
        h.createUpdate("DELETE FROM membership_statuses WHERE unit_id = :unit AND person_id = :person AND "
                        + (fromOn == null ? "from_on IS NULL" : "from_on = :from"))
                .bind("unit", unitId).bind("person", personId).bind("from", fromOn == null ? null : fromOn.toString()).execute();
        h.createUpdate("""
                INSERT INTO membership_statuses (unit_id, person_id, status, from_on, created_at)
                VALUES (:unit, :person, :status, :from, :now)""")
                .bind("unit", unitId).bind("person", personId).bind("status", status.wire())
                .bind("from", fromOn == null ? null : fromOn.toString()).bind("now", now).execute();
    }

    public void updateDates(long unitId, long personId, LocalDate joinedOn, LocalDate leftOn, MemberStatus.LeftReason reason) {
        h.createUpdate("UPDATE memberships SET joined_on = :joined, left_on = :left, left_reason = :reason WHERE unit_id = :unit AND person_id = :person")
                .bind("unit", unitId).bind("person", personId)
                .bind("joined", joinedOn == null ? null : joinedOn.toString()).bind("left", leftOn == null ? null : leftOn.toString())
                .bind("reason", reason == null ? null : reason.wire()).execute();
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
        // a membership with an end date no longer signs in to its unit's pages
        h.createQuery("SELECT unit_id, role FROM memberships WHERE person_id = :person AND left_on IS NULL ORDER BY unit_id")
                .bind("person", personId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), Role.parse(rs.getString(2)).orElse(Role.MEMBER))).list()
                .forEach(e -> roles.put(e.getKey(), e.getValue()));
        return roles;
    }

    public Optional<String> personName(long personId) {
        return h.createQuery("SELECT name FROM persons WHERE id = :id").bind("id", personId).mapTo(String.class).findOne();
    }

    /** What in the unit still names this member: answers, attendance, feedback and tasks of the unit's meetings. */
    public int references(long unitId, long personId) {
        return h.createQuery("""
                SELECT (SELECT COUNT(*) FROM responses r JOIN meetings m ON m.id = r.meeting_id WHERE m.unit_id = :unit AND r.person_id = :p)
                     + (SELECT COUNT(*) FROM response_history r JOIN meetings m ON m.id = r.meeting_id WHERE m.unit_id = :unit AND r.person_id = :p)
                     + (SELECT COUNT(*) FROM attendance a JOIN meetings m ON m.id = a.meeting_id WHERE m.unit_id = :unit AND a.person_id = :p)
                     + (SELECT COUNT(*) FROM feedback f JOIN meetings m ON m.id = f.meeting_id WHERE m.unit_id = :unit AND f.person_id = :p)
                     + (SELECT COUNT(*) FROM tasks t WHERE t.unit_id = :unit AND t.assignee_person_id = :p)""")
                .bind("unit", unitId).bind("p", personId).mapTo(Integer.class).one();
    }

    /**
     * Removes a membership made by mistake, with its place in the unit's frozen invited lists; a person left
     * with no membership at all goes too, with their chat accounts and sign-in links.
     */
    public void deleteMembership(long unitId, long personId) {
        h.createUpdate("DELETE FROM meeting_invitees WHERE person_id = :p AND meeting_id IN (SELECT id FROM meetings WHERE unit_id = :unit)")
                .bind("unit", unitId).bind("p", personId).execute();
        h.createUpdate("DELETE FROM membership_statuses WHERE unit_id = :unit AND person_id = :p").bind("unit", unitId).bind("p", personId).execute();
        h.createUpdate("DELETE FROM memberships WHERE unit_id = :unit AND person_id = :p").bind("unit", unitId).bind("p", personId).execute();
        boolean elsewhere = h.createQuery("SELECT COUNT(*) FROM memberships WHERE person_id = :p").bind("p", personId).mapTo(Integer.class).one() > 0;
        boolean named = h.createQuery("""
                SELECT (SELECT COUNT(*) FROM responses WHERE person_id = :p) + (SELECT COUNT(*) FROM response_history WHERE person_id = :p)
                     + (SELECT COUNT(*) FROM attendance WHERE person_id = :p) + (SELECT COUNT(*) FROM feedback WHERE person_id = :p)
                     + (SELECT COUNT(*) FROM tasks WHERE assignee_person_id = :p) + (SELECT COUNT(*) FROM meeting_invitees WHERE person_id = :p)""")
                .bind("p", personId).mapTo(Integer.class).one() > 0;
        if (elsewhere || named) return;
        for (String table : List.of("identities", "login_links", "web_sessions")) {
            h.createUpdate("DELETE FROM " + table + " WHERE person_id = :p").bind("p", personId).execute();
        }
        h.createUpdate("DELETE FROM persons WHERE id = :p").bind("p", personId).execute();
    }

    public Optional<String> personPhone(long personId) {
        return h.createQuery("SELECT phone FROM persons WHERE id = :id").bind("id", personId).mapTo(String.class).findOne();
    }

    /** The units a person belongs to (former memberships included). */
    public List<Long> unitsOf(long personId) {
        return h.createQuery("SELECT unit_id FROM memberships WHERE person_id = :p ORDER BY unit_id").bind("p", personId).mapTo(Long.class).list();
    }
}
