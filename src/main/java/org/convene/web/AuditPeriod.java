package org.convene.web;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Unit;

/** The days an audit read covers: {@code from} and {@code to} are whole days in the unit's zone, {@code to} included; by default the last 30 days. */
record AuditPeriod(LocalDate fromDay, LocalDate toDay, Instant from, Instant to) {
    static AuditPeriod of(Context ctx, Unit unit, Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(unit.zone()));
        String to = ctx.queryParam("to");
        String from = ctx.queryParam("from");
        LocalDate toDay = to == null || to.isBlank() ? today : UnitRoutes.day(to, "to");
        LocalDate fromDay = from == null || from.isBlank() ? toDay.minusDays(29) : UnitRoutes.day(from, "from");
        if (fromDay.isAfter(toDay)) throw new ConveneException.Invalid("to", "must not be before from");
        return new AuditPeriod(fromDay, toDay, fromDay.atStartOfDay(unit.zone()).toInstant(), toDay.plusDays(1).atStartOfDay(unit.zone()).toInstant());
    }
}
