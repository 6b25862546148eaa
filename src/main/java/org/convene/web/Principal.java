package org.convene.web;

import java.util.List;

/** Who is calling: the admin, or a unit's secretary or supervisor token (a supervisor's reaches the units below). */
record Principal(Kind kind, Long unitId, List<Long> scope, long tokenId) {
    enum Kind { ADMIN, SECRETARY, SUPERVISOR }

    static final Principal ADMIN = new Principal(Kind.ADMIN, null, List.of(), 0);

    boolean canActOn(long unit) {
        return kind == Kind.ADMIN || scope.contains(unit);
    }

    String actor() {
        return kind == Kind.ADMIN ? "admin" : kind.name().toLowerCase() + "-token:" + tokenId;
    }
}
