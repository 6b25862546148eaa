package org.convene.meeting;

import java.util.Collection;
import java.util.Set;

/**
 * Who acts and where they reach, as the services see it: the web layer makes one from a bearer token or
 * a signed-in session, so the API and the pages share every rule of reach that the services check.
 *
 * @param reach the units the caller acts on (a secretary's own unit; a supervisor's unit and all below it)
 * @param supervised the units the caller reaches as a supervisor: a supervised unit and all below it
 * @param below the units strictly below a unit the caller supervises: where they may give the supervisor role
 */
public record Caller(String actor, boolean admin, Set<Long> reach, Set<Long> supervised, Set<Long> below) {
    public Caller {
        reach = Set.copyOf(reach);
        supervised = Set.copyOf(supervised);
        below = Set.copyOf(below);
    }

    /** The admin, or the service itself acting for the operator (demo data, the command line). */
    public static Caller admin(String actor) {
        return new Caller(actor, true, Set.of(), Set.of(), Set.of());
    }

    /** Whether the caller supervises the unit (from it or from above): what reports over units below and new sub-units need. */
    public boolean supervises(long unitId) {
        return admin || supervised.contains(unitId);
    }

    public boolean reaches(long unitId) {
        return admin || reach.contains(unitId);
    }

    public boolean reachesAll(Collection<Long> unitIds) {
        return unitIds.stream().allMatch(u -> u != null && reaches(u));
    }

    /** Only the admin or a supervisor of a unit above this one makes supervisors in it. */
    public boolean supervisesFromAbove(long unitId) {
        return admin || below.contains(unitId);
    }

    /** 403 unless the caller reaches the unit; {@code what} names the field or path it came from. */
    public void requireReach(long unitId, String what) {
        if (!reaches(unitId)) throw new ConveneException.NotAllowed(what + ": unit " + unitId + " is out of this caller's reach");
    }
}
