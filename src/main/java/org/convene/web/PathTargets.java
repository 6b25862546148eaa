package org.convene.web;

import io.javalin.http.Context;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;

/** The unit or meeting a path names, after checking it exists (404) and that the caller may act on it (403). */
final class PathTargets {
    private PathTargets() {}

    static Unit unit(ApiServices s, Context ctx) {
        Unit unit = s.units().get(id(ctx, "id"));
        WebServer.requireUnit(ctx, unit.id());
        return unit;
    }

    static Meeting meeting(ApiServices s, Context ctx) {
        Meeting meeting = s.meetings().get(id(ctx, "id"));
        WebServer.requireUnit(ctx, meeting.unitId());
        return meeting;
    }

    /** The unit a {@code unitId} query parameter names (422 when missing or not a number), checked like a path's. */
    static Unit unitParam(ApiServices s, Context ctx) {
        String value = ctx.queryParam("unitId");
        if (value == null || value.isBlank()) throw new ConveneException.Invalid("unitId", "is required");
        long unitId;
        try {
            unitId = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ConveneException.Invalid("unitId", "is not a unit id");
        }
        Unit unit = s.units().get(unitId);
        WebServer.requireUnit(ctx, unit.id());
        return unit;
    }

    /** A path id; anything that is not a number names nothing (404). */
    static long id(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no " + name + " " + ctx.pathParam(name));
        }
    }
}
