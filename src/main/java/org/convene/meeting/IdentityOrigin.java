package org.convene.meeting;

/**
 * Who made a chat identity, and so what sign-in links it may get: {@code self} (the member's own
 * {@code /iam NAME}) none at all; {@code registered} and {@code code} the reach of the secretary, supervisor
 * or admin who entered the account or handed out the code ({@code limitUnitId} null: the admin's, unlimited).
 */
public record IdentityOrigin(String kind, Long limitUnitId, String limitRole) {
    public static final String SELF = "self";
    public static final String REGISTERED = "registered";
    public static final String CODE = "code";

    public static final IdentityOrigin SELF_LINKED = new IdentityOrigin(SELF, null, null);

    /** What {@code caller} may hand on when it links an account of a member of {@code unitId}: never more than its own reach. */
    public static IdentityOrigin by(Caller caller, String kind, long unitId) {
        if (caller.admin()) return new IdentityOrigin(kind, null, null);
        return new IdentityOrigin(kind, unitId, caller.supervisesFromAbove(unitId) ? Role.SUPERVISOR.wire() : Role.SECRETARY.wire());
    }

    public boolean signsIn() {
        return !SELF.equals(kind);
    }
}
