package org.convene.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.config.JavalinConfig;
import java.time.LocalDate;
import org.convene.meeting.ConveneException;
import org.convene.schedule.Holiday;
import org.convene.schedule.LunarDate;

/** Public holidays of a country and year, lunar ones computed. */
final class HolidayRoutes {
    private final ApiServices s;

    HolidayRoutes(ApiServices services) {
        this.s = services;
    }

    record LunarView(int year, int month, int day, boolean leap, String text) {
        static LunarView of(LunarDate d) {
            return d == null ? null : new LunarView(d.year(), d.month(), d.day(), d.leap(), d.toString());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HolidayView(LocalDate date, String name, String nameEn, LunarView lunar) {
        static HolidayView of(Holiday h) {
            return new HolidayView(h.date(), h.name(), h.nameEn(), LunarView.of(h.lunar()));
        }
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/holidays", ctx -> {
            WebServer.principal(ctx);
            String country = ctx.queryParam("country");
            String yearText = ctx.queryParam("year");
            int year;
            if (yearText == null || yearText.isBlank()) {
                year = java.time.Instant.now(s.clock()).atZone(java.time.ZoneOffset.ofHours(7)).getYear();
            } else {
                try {
                    year = Integer.parseInt(yearText.strip());
                } catch (NumberFormatException e) {
                    throw new ConveneException.Invalid("year", "is not a year such as 2027");
                }
            }
            ctx.json(s.holidays().of(country == null || country.isBlank() ? s.holidays().defaultCountry() : country, year).stream()
                    .map(HolidayView::of).toList());
        });
    }
}
