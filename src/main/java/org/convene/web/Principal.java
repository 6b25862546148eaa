package org.convene.web;

import java.util.List;

/** Who is calling: the admin, or a unit's secretary or supervisor token (a supervisor's reaches the units below). */
record Principal(Kind kind, Long unitId, List<Long> scope, long tokenId) {
    enum Kind { ADMIN, SECRETARY, SUPERVISOR }

    static final Principal ADMIN = new Principal(Kind.ADMIN, null, List.of(), 0);

    boolean canActOn(long unit) {
        return kind == Kind.ADMIN || scope.contains(unit);
    }

    /** The same caller as the services see it. */
    org.convene.meeting.Caller caller() {
        if (kind == Kind.ADMIN) return org.convene.meeting.Caller.admin(actor());
        java.util.Set<Long> below = new java.util.HashSet<>(scope);
        if (kind == Kind.SUPERVISOR) below.remove(unitId);
        else below.clear();
        java.util.Set<Long> supervised = kind == Kind.SUPERVISOR ? new java.util.HashSet<>(scope) : java.util.Set.of();
        return new org.convene.meeting.Caller(actor(), false, new java.util.HashSet<>(scope), supervised, below);
    }

    String actor() {
        return kind == Kind.ADMIN ? "admin" : kind.name().toLowerCase() + "-token:" + tokenId;
    }
}
