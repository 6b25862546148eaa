package org.convene.meeting;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The unit tree on any day: each unit's parent from a day on. Reports attribute a meeting to the units
 * above its unit on the meeting's day, so a unit moved under a new parent rolls up there from the move
 * and its past periods stay with the old parent.
 */
public final class UnitTree {
    private record ParentFrom(Long parentId, String fromOn) {}

    private final Map<Long, List<ParentFrom>> history = new HashMap<>();
    private final java.util.NavigableSet<LocalDate> changeDays = new java.util.TreeSet<>();

    private UnitTree() {}

    public static UnitTree load(Handle h) {
        UnitTree tree = new UnitTree();
        h.createQuery("SELECT unit_id, parent_id, from_on FROM unit_parents ORDER BY unit_id, COALESCE(from_on, ''), id")
                .map((rs, ctx) -> {
                    long unit = rs.getLong(1);
                    Long parent = rs.getObject(2) == null ? null : rs.getLong(2);
                    String from = rs.getString(3);
                    tree.history.computeIfAbsent(unit, k -> new ArrayList<>()).add(new ParentFrom(parent, from));
                    if (from != null) tree.changeDays.add(LocalDate.parse(from));
                    return unit;
                }).list();
        // units written without their history (bulk seeds) keep their parent of today for every day
        h.createQuery("SELECT id, parent_id FROM units").map((rs, ctx) -> {
            long unit = rs.getLong(1);
            Long parent = rs.getObject(2) == null ? null : rs.getLong(2);
            tree.history.computeIfAbsent(unit, k -> new ArrayList<>(List.of(new ParentFrom(parent, null))));
            return unit;
        }).list();
        return tree;
    }

    /** The unit's parent on {@code day}. */
    public Long parentOn(long unit, LocalDate day) {
        List<ParentFrom> rows = history.getOrDefault(unit, List.of());
        Long parent = rows.isEmpty() ? null : rows.getFirst().parentId();
        for (ParentFrom r : rows) if (r.fromOn() == null || !LocalDate.parse(r.fromOn()).isAfter(day)) parent = r.parentId();
        return parent;
    }

    /** The unit and every unit above it on {@code day}, nearest first. */
    public List<Long> upOn(long unit, LocalDate day) {
        List<Long> up = new ArrayList<>();
        Long at = unit;
        while (at != null && !up.contains(at)) {
            up.add(at);
            at = parentOn(at, day);
        }
        return up;
    }

    /** Every unit that was {@code root} or below it on some day between {@code from} and {@code to}. */
    public Set<Long> everBelow(long root, LocalDate from, LocalDate to) {
        List<LocalDate> days = new ArrayList<>(List.of(from, to));
        if (!to.isBefore(from)) days.addAll(changeDays.subSet(from, true, to, true));
        Set<Long> out = new LinkedHashSet<>();
        for (long unit : history.keySet()) {
            for (LocalDate day : days) {
                if (upOn(unit, day).contains(root)) {
                    out.add(unit);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The last day from {@code from} to {@code to} on which {@code unit} was {@code root} or below it, or null
     * when it never was: the tree only changes on a move's first day, so each stretch between those days is
     * looked at once.
     */
    public LocalDate lastDayBelow(long unit, long root, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) return null;
        List<LocalDate> starts = new ArrayList<>(List.of(from));
        starts.addAll(changeDays.subSet(from, false, to, true));
        for (int i = starts.size() - 1; i >= 0; i--) {
            if (upOn(unit, starts.get(i)).contains(root)) return i + 1 < starts.size() ? starts.get(i + 1).minusDays(1) : to;
        }
        return null;
    }

    /** Records a move: the unit's parent is {@code parentId} from {@code fromOn} on. */
    public static void move(Handle h, long unitId, Long parentId, LocalDate fromOn, Instant now) {
        h.createUpdate("DELETE FROM unit_parents WHERE unit_id = :u AND from_on = :d").bind("u", unitId).bind("d", fromOn.toString()).execute();
        h.createUpdate("INSERT INTO unit_parents (unit_id, parent_id, from_on, created_at) VALUES (:u, :p, :d, :now)")
                .bind("u", unitId).bind("p", parentId).bind("d", fromOn.toString()).bind("now", now).execute();
        h.createUpdate("UPDATE units SET parent_id = :p WHERE id = :u").bind("u", unitId).bind("p", parentId).execute();
    }

    /** A new unit's parent since it began. */
    public static void created(Handle h, long unitId, Long parentId, Instant now) {
        h.createUpdate("INSERT INTO unit_parents (unit_id, parent_id, from_on, created_at) VALUES (:u, :p, NULL, :now)")
                .bind("u", unitId).bind("p", parentId).bind("now", now).execute();
    }
}
