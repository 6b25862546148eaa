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
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return jdbi.inTransaction(h -> {
            UnitDao units = h.attach(UnitDao.class);
            if (request.parentId() != null && units.find(request.parentId()).isEmpty()) {
                throw new ConveneException.NotFound("unit", request.parentId());
            }
            var now = clock.instant();
            long id = units.insert(name, request.parentId(), zone, locale, newFeedToken(), now);
            AuditLog.record(h, now, actor, "unit.created", "unit", id, name);
            return units.find(id).orElseThrow();
        });
    }

    public Unit change(String actor, long id, Requests.UnitChange change) {
        Unit unit = get(id);
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
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        boolean showNames = change.showNamesInGroup() == null ? unit.showNames() : change.showNamesInGroup();
        return jdbi.inTransaction(h -> {
            h.attach(UnitDao.class).update(id, name, zone, locale, showNames ? 1 : 0);
            AuditLog.record(h, clock.instant(), actor, "unit.changed", "unit", id, change.toString());
            return h.attach(UnitDao.class).find(id).orElseThrow();
        });
    }

    /** Who changed what in the unit, newest first: for its secretary and its supervisors. */
    public List<AuditLog.Event> audit(long unitId, java.time.Instant from, java.time.Instant to) {
        get(unitId);
        return jdbi.withHandle(h -> AuditLog.ofUnit(h, unitId, from, to, AUDIT_PAGE));
    }

    /** The most events one read returns; a narrower period shows older ones. */
    public static final int AUDIT_PAGE = 500;

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
