package org.convene.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;
import org.convene.meeting.ChatService;
import org.convene.meeting.MaterialService;
import org.convene.meeting.MeetingService;
import org.convene.meeting.MemberService;
import org.convene.meeting.UnitService;
import org.convene.response.AttendanceService;
import org.convene.response.ResponseService;
import org.convene.schedule.PublicHolidays;
import org.convene.schedule.SeriesService;
import org.convene.schedule.SlotService;
import org.jdbi.v3.core.Jdbi;

/** What the routes call. */
public record ApiServices(Jdbi jdbi, String publicUrl, UnitService units, MemberService members, ChatService chats,
                          MeetingService meetings, MaterialService materials, ResponseService responses,
                          AttendanceService attendance, ApiTokens tokens, PrometheusMeterRegistry metrics,
                          BooleanSupplier databaseHealthy, BooleanSupplier schedulerHealthy,
                          SeriesService series, PublicHolidays holidays, SlotService slots, java.time.Clock clock) {
}
