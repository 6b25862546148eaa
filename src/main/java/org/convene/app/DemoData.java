package org.convene.app;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Meeting;
import org.convene.meeting.Requests;
import org.convene.meeting.Unit;

/**
 * The demo's cell: a secretary and a dozen members with Vietnamese names, a local group chat, and a
 * meeting tonight whose agenda reaches the chat about a minute after start. A second start reuses the
 * cell and schedules a fresh meeting.
 */
final class DemoData {
    static final String UNIT_NAME = "Chi bộ khu Lạc Thanh";
    static final String CHAT_ID = "lac-thanh";
    private static final List<String[]> PEOPLE = List.of(
            new String[] {"Nguyễn Văn Hùng", "secretary"}, new String[] {"Trần Thị Lan", "deputy"},
            new String[] {"Lê Văn Minh", "member"}, new String[] {"Phạm Thị Hoa", "member"},
            new String[] {"Hoàng Văn Đức", "member"}, new String[] {"Vũ Thị Mai", "member"},
            new String[] {"Đặng Văn Tuấn", "member"}, new String[] {"Bùi Thị Hằng", "member"},
            new String[] {"Đỗ Văn Nam", "member"}, new String[] {"Ngô Thị Thu", "member"},
            new String[] {"Dương Văn Long", "member"}, new String[] {"Lý Thị Ngọc", "member"},
            new String[] {"Hồ Văn Sơn", "member"});

    private final Convene convene;
    private final Clock clock;

    DemoData(Convene convene, Clock clock) {
        this.convene = convene;
        this.clock = clock;
    }

    /** @param signInUrl a one-time link that signs the demo's secretary in to the pages */
    record Seeded(long unitId, long meetingId, String agendaDueLocal, String signInUrl) {}

    Seeded seed() {
        var s = convene.services();
        Unit unit = s.units().all().stream().filter(u -> u.name().equals(UNIT_NAME)).findFirst().orElseGet(() -> {
            Unit created = s.units().create("demo", new Requests.NewUnit(UNIT_NAME, null, "Asia/Ho_Chi_Minh", "vi"));
            for (int i = 0; i < PEOPLE.size(); i++) {
                s.members().add(org.convene.meeting.Caller.admin("demo"), created.id(), new Requests.NewMember(PEOPLE.get(i)[0], PEOPLE.get(i)[1],
                        "09" + String.format("%08d", 12345670 + i), null, null, "u" + (i + 1)));
            }
            s.chats().add("demo", created.id(), new Requests.NewChat("local", CHAT_ID, "Chi bộ Lạc Thanh 🏡"));
            return created;
        });
        ZoneId zone = unit.zone();
        Instant now = clock.instant();
        ZonedDateTime start = now.atZone(zone).with(LocalTime.of(19, 30));
        if (start.isBefore(now.atZone(zone).plusMinutes(30))) {
            start = now.atZone(zone).plusHours(2).truncatedTo(ChronoUnit.HOURS);
        }
        Instant agendaAt = now.plusSeconds(60);
        Duration offset = Duration.between(agendaAt, start.toInstant()).truncatedTo(ChronoUnit.SECONDS);
        Meeting meeting = s.meetings().create("demo", new Requests.MeetingRequest(unit.id(),
                "Sinh hoạt chi bộ định kỳ tháng " + start.getMonthValue(), "regular",
                start.toOffsetDateTime().toString(), 120, "Nhà văn hoá khu Lạc Thanh",
                List.of(new AgendaItem("Báo cáo tình hình tháng trước", "Đ/c Nguyễn Văn Hùng", 20),
                        new AgendaItem("Quán triệt nghị quyết của Đảng uỷ", "Đ/c Trần Thị Lan", 40),
                        new AgendaItem("Phân công nhiệm vụ tháng tới", null, 30),
                        new AgendaItem("Ý kiến của đảng viên", null, 30)),
                List.of(new Requests.ReminderRequest(offset.toString(), "agenda"), new Requests.ReminderRequest("PT30M", "reminder")),
                null));
        try (InputStream pdf = DemoData.class.getResourceAsStream("/demo/chuong-trinh-sinh-hoat.pdf")) {
            s.materials().attach("demo", meeting.id(), "chuong-trinh-sinh-hoat.pdf", pdf, false);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the demo PDF is missing from the jar", e);
        }
        String secretary = s.members().list(unit.id()).stream().filter(m -> m.role() == org.convene.meeting.Role.SECRETARY)
                .findFirst().orElseThrow().accounts().get("local");
        return new Seeded(unit.id(), meeting.id(), agendaAt.atZone(zone).format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " (" + zone + ")",
                s.signIn().linkForAccount("local", secretary).url());
    }
}
