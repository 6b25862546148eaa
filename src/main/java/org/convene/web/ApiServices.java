package org.convene.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;
import org.convene.meeting.ChatService;
import org.convene.meeting.MaterialService;
import org.convene.meeting.MeetingService;
import org.convene.meeting.MinutesService;
import org.convene.meeting.ProductService;
import org.convene.meeting.TopicService;
import org.convene.meeting.MemberService;
import org.convene.meeting.UnitService;
import org.convene.response.FeedbackService;
import org.convene.response.FollowUps;
import org.convene.response.AttendanceService;
import org.convene.response.ReportService;
import org.convene.response.ResponseService;
import org.convene.schedule.PublicHolidays;
import org.convene.schedule.SeriesService;
import org.convene.schedule.SlotService;
import org.jdbi.v3.core.Jdbi;

/** What the routes call. */
public record ApiServices(Jdbi jdbi, String publicUrl, UnitService units, MemberService members, ChatService chats,
                          MeetingService meetings, MaterialService materials, TopicService topics, ProductService products, MinutesService minutes, ResponseService responses,
                          AttendanceService attendance, ReportService reports, FollowUps followUp, FeedbackService feedback, ApiTokens tokens, PrometheusMeterRegistry metrics,
                          BooleanSupplier databaseHealthy, BooleanSupplier schedulerHealthy,
                          SeriesService series, PublicHolidays holidays, SlotService slots, java.time.Clock clock,
                          org.convene.store.Leases leases, org.convene.meeting.MaterialsPageService materialsPages,
                          org.convene.chat.ChatPlatforms platforms, org.convene.meeting.DocumentReading reading) {
}
