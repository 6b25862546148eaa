package org.convene.web;

import io.javalin.http.Context;
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

    /** A path id; anything that is not a number names nothing (404). */
    static long id(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no " + name + " " + ctx.pathParam(name));
        }
    }
}
