package org.convene.meeting;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** Creating and reading units. */
public final class UnitService {
    public static final Set<String> LOCALES = Set.of("vi", "en");

    private final Jdbi jdbi;
    private final Clock clock;
    private final RandomGenerator random;
    private final String defaultZone;
    private final String defaultLocale;

    public UnitService(Jdbi jdbi, Clock clock, RandomGenerator random, String defaultZone, String defaultLocale) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.random = random;
        this.defaultZone = defaultZone;
        this.defaultLocale = defaultLocale;
    }

    /**
     * A unit made by a caller: only the admin makes top-level units, and a unit goes only under a parent the
     * caller supervises (a supervisor's reach grows with it; a secretary's reach is its own unit alone).
     */
    public Unit create(Caller caller, Requests.NewUnit request) {
        if (request.parentId() == null && !caller.admin()) throw new ConveneException.NotAllowed("parentId: only the admin creates top-level units");
        if (request.parentId() != null) {
            get(request.parentId());
            if (!caller.supervises(request.parentId())) throw new ConveneException.NotAllowed("parentId: this caller cannot create units under unit " + request.parentId());
        }
        return create(caller.actor(), request);
    }

    /**
     * A new calendar feed address for the unit: the old one stops working at once (a feed address is a
     * secret anyone who has it may read, and a calendar app shares it freely).
     */
    public Unit rotateFeed(Caller caller, long unitId) {
        get(unitId);
        caller.requireReach(unitId, "unit");
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE units SET feed_token = :t WHERE id = :id").bind("t", newFeedToken()).bind("id", unitId).execute();
            AuditLog.record(h, clock.instant(), caller.actor(), "calendar.rotated", "unit", unitId, null);
            return h.attach(UnitDao.class).find(unitId).orElseThrow();
        });
    }

    public Unit create(String actor, Requests.NewUnit request) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) errors.add(new FieldError("name", "is required"));
        if (name.length() > 200) errors.add(new FieldError("name", "is longer than 200 characters"));
        String zone = request.timezone() == null ? defaultZone : request.timezone();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            errors.add(new FieldError("timezone", "is not a time zone: " + zone));
        }
        String locale = request.locale() == null ? defaultLocale : request.locale();
        if (!LOCALES.contains(locale)) errors.add(new FieldError("locale", "must be one of vi, en"));
        checkWord(request.memberWord(), errors);
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return jdbi.inTransaction(h -> {
            UnitDao units = h.attach(UnitDao.class);
            if (request.parentId() != null && units.find(request.parentId()).isEmpty()) {
                throw new ConveneException.NotFound("unit", request.parentId());
            }
            var now = clock.instant();
            long id = units.insert(name, request.parentId(), zone, locale, newFeedToken(), now);
            UnitTree.created(h, id, request.parentId(), now);
            if (request.memberWord() != null) units.setMemberWord(id, request.memberWord());
            AuditLog.record(h, now, actor, "unit.created", "unit", id, name);
            return units.find(id).orElseThrow();
        });
    }

    public Unit change(String actor, long id, Requests.UnitChange change) {
        Unit unit = get(id);
        if (unit.merged()) throw new ConveneException.Conflict("unit " + id + " has been merged into unit " + successor(unit).id() + ": change that one");
        List<FieldError> errors = new ArrayList<>();
        String name = change.name() == null ? unit.name() : change.name().strip();
        if (name.isEmpty()) errors.add(new FieldError("name", "is required"));
        if (name.length() > 200) errors.add(new FieldError("name", "is longer than 200 characters"));
        String zone = change.timezone() == null ? unit.timezone() : change.timezone();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            errors.add(new FieldError("timezone", "is not a time zone: " + zone));
        }
        String locale = change.locale() == null ? unit.locale() : change.locale();
        if (!LOCALES.contains(locale)) errors.add(new FieldError("locale", "must be one of vi, en"));
        checkWord(change.memberWord(), errors);
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        boolean showNames = change.showNamesInGroup() == null ? unit.showNames() : change.showNamesInGroup();
        java.time.LocalDate parentFrom = null;
        if (change.parentFrom() != null) {
            try {
                parentFrom = java.time.LocalDate.parse(change.parentFrom().strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new ConveneException.Invalid("parentFrom", "is not a date (YYYY-MM-DD)");
            }
        }
        java.time.LocalDate moveFrom = parentFrom != null ? parentFrom : java.time.LocalDate.now(clock.withZone(unit.zone()));
        return jdbi.inTransaction(h -> {
            if (change.parentId() != null && !change.parentId().equals(unit.parentId())) {
                UnitDao units = h.attach(UnitDao.class);
                units.find(change.parentId()).orElseThrow(() -> new ConveneException.NotFound("unit", change.parentId()));
                if (units.subtreeIds(id).contains(change.parentId())) {
                    throw new ConveneException.Conflict("unit " + change.parentId() + " is unit " + id + " or below it: a unit cannot move under itself", "unit_move_under_itself");
                }
                UnitTree.move(h, id, change.parentId(), moveFrom, clock.instant());
                AuditLog.record(h, id, clock.instant(), actor, "unit.moved", "unit", id,
                        "parent " + unit.parentId() + " → " + change.parentId() + " from " + moveFrom);
                AuditLog.record(h, change.parentId(), clock.instant(), actor, "unit.moved", "unit", id,
                        unit.name() + " under this unit from " + moveFrom);
            }
            h.attach(UnitDao.class).update(id, name, zone, locale, showNames ? 1 : 0);
            if (change.memberWord() != null) h.attach(UnitDao.class).setMemberWord(id, change.memberWord());
            AuditLog.record(h, clock.instant(), actor, "unit.changed", "unit", id, change.toString());
            return h.attach(UnitDao.class).find(id).orElseThrow();
        });
    }

    /**
     * Moving or merging a unit takes it out of one subtree into another: only the admin or a supervisor
     * reaching both units may, so no secretary can hand their unit (or take one) across the tree.
     */
    public static void requireReachesBoth(Caller caller, long unit, long other, String what) {
        if (caller.admin()) return;
        if (!caller.supervises(unit) || !caller.supervises(other)) {
            throw new ConveneException.NotAllowed("only the admin or a supervisor reaching units " + unit + " and " + other + " may " + what);
        }
    }

    /**
     * Merges a unit into another: its members (a person already in both keeps the other's membership),
     * meetings with their answers and attendance, chats, series, tasks and topics move there, its units
     * below move under the other from today, its tokens are revoked, and it says where it went.
     */
    public Unit merge(String actor, long id, long otherId) {
        if (id == otherId) throw new ConveneException.Conflict("a unit cannot be merged into itself", "unit_merge_itself");
        return jdbi.inTransaction(h -> {
            UnitDao units = h.attach(UnitDao.class);
            Unit unit = units.find(id).orElseThrow(() -> new ConveneException.NotFound("unit", id));
            Unit other = units.find(otherId).orElseThrow(() -> new ConveneException.NotFound("unit", otherId));
            for (long u : List.of(id, otherId)) {
                if (h.createQuery("SELECT merged_into FROM units WHERE id = :u").bind("u", u).mapTo(Long.class).findOne().isPresent()) {
                    throw new ConveneException.Conflict("unit " + u + " has already been merged into another", "unit_merge_merged");
                }
            }
            if (units.subtreeIds(id).contains(otherId)) throw new ConveneException.Conflict("unit " + otherId + " is below unit " + id, "unit_merge_below");
            var now = clock.instant();
            // a person in both keeps the other's membership; the rest move with their statuses
            h.createUpdate("""
                    DELETE FROM membership_statuses WHERE unit_id = :u
                      AND person_id IN (SELECT person_id FROM memberships WHERE unit_id = :o)""").bind("u", id).bind("o", otherId).execute();
            h.createUpdate("DELETE FROM memberships WHERE unit_id = :u AND person_id IN (SELECT person_id FROM memberships WHERE unit_id = :o)")
                    .bind("u", id).bind("o", otherId).execute();
            for (String table : List.of("memberships", "membership_statuses", "meetings", "chats", "series", "tasks", "topics", "link_codes")) {
                h.createUpdate("UPDATE " + table + " SET unit_id = :o WHERE unit_id = :u").bind("u", id).bind("o", otherId).execute();
            }
            for (String[] t : new String[][] {{"topic_units", "topic_id"}, {"meeting_observers", "meeting_id"}}) {
                h.createUpdate("DELETE FROM " + t[0] + " WHERE unit_id = :u AND " + t[1] + " IN (SELECT " + t[1] + " FROM " + t[0] + " WHERE unit_id = :o)")
                        .bind("u", id).bind("o", otherId).execute();
                h.createUpdate("UPDATE " + t[0] + " SET unit_id = :o WHERE unit_id = :u").bind("u", id).bind("o", otherId).execute();
            }
            // a meeting that invited the other unit as observers now invites its own unit: no longer an observer
            h.createUpdate("DELETE FROM meeting_observers WHERE unit_id = :o AND meeting_id IN (SELECT id FROM meetings WHERE unit_id = :o)")
                    .bind("o", otherId).execute();
            java.time.LocalDate today = java.time.LocalDate.now(clock.withZone(other.zone()));
            for (long child : h.createQuery("SELECT id FROM units WHERE parent_id = :u AND merged_into IS NULL").bind("u", id).mapTo(Long.class).list()) {
                UnitTree.move(h, child, otherId, today, now);
            }
            h.createUpdate("UPDATE api_tokens SET revoked_at = :now WHERE unit_id = :u AND revoked_at IS NULL").bind("u", id).bind("now", now).execute();
            h.createUpdate("UPDATE units SET merged_into = :o WHERE id = :u").bind("u", id).bind("o", otherId).execute();
            AuditLog.record(h, id, now, actor, "unit.merged", "unit", id, unit.name() + " → " + other.name() + " (unit " + otherId + ")");
            AuditLog.record(h, otherId, now, actor, "unit.merged", "unit", id, unit.name() + " (unit " + id + ") merged into this unit");
            return units.find(otherId).orElseThrow();
        });
    }

    /** Where a unit may go and what it may be merged into, as the caller would be let do it. */
    public record Choices(List<Unit> parents, List<Unit> targets) {}

    /**
     * The parents the caller may move the unit under and the units they may merge it into: only what
     * {@link #change} and {@link #merge} would accept from them, so a page offers no choice that is then
     * refused (a unit merged away, the unit itself or one below it, its present parent).
     */
    public Choices restructureChoices(Caller caller, long id) {
        Unit unit = get(id);
        if (unit.merged() || !caller.supervises(id)) return new Choices(List.of(), List.of());
        Set<Long> below = Set.copyOf(subtree(id));
        List<Unit> open = all().stream().filter(u -> caller.supervises(u.id()) && !below.contains(u.id())).toList();
        return new Choices(open.stream().filter(u -> !java.util.Objects.equals(unit.parentId(), u.id())).toList(), open);
    }

    /** The unit standing today that a merged unit went into, through any merge made after it. */
    public Unit successor(Unit unit) {
        Unit at = unit;
        for (int hops = 0; at.merged() && hops < 50; hops++) at = get(at.mergedInto());
        return at;
    }

    /**
     * The unit, for a caller who may read it. A merged unit is below no one any more, so only the admin
     * would reach it; whoever reaches the unit it went into, or supervises its old parent, may still open it
     * and read where it went.
     */
    public Unit readable(Caller caller, long id) {
        Unit unit = get(id);
        if (caller.reaches(id)) return unit;
        if (unit.merged() && (caller.reaches(successor(unit).id()) || unit.parentId() != null && caller.supervises(unit.parentId()))) return unit;
        throw new ConveneException.NotAllowed("unit: unit " + id + " is out of this caller's reach");
    }

    /** Who changed what in the unit, newest first: for its secretary and its supervisors. */
    public List<AuditLog.Event> audit(long unitId, java.time.Instant from, java.time.Instant to) {
        get(unitId);
        return jdbi.withHandle(h -> AuditLog.ofUnit(h, unitId, from, to, AUDIT_PAGE));
    }

    /** The most events one read returns; a narrower period shows older ones. */
    public static final int AUDIT_PAGE = 500;

    private static void checkWord(String word, List<FieldError> errors) {
        if (word != null && !Unit.MEMBER_WORDS.contains(word)) errors.add(new FieldError("memberWord", "must be one of party, youth, association, member"));
    }

    public Unit get(long id) {
        return jdbi.withExtension(UnitDao.class, d -> d.find(id)).orElseThrow(() -> new ConveneException.NotFound("unit", id));
    }

    public List<Unit> all() {
        return jdbi.withExtension(UnitDao.class, UnitDao::all);
    }

    public List<Long> subtree(long id) {
        return jdbi.withExtension(UnitDao.class, d -> d.subtreeIds(id));
    }

    public List<Long> ancestors(long id) {
        return jdbi.withExtension(UnitDao.class, d -> d.ancestorIds(id));
    }

    private String newFeedToken() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
