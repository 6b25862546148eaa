package org.convene.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Meeting;
import org.convene.meeting.Requests;
import org.convene.meeting.Role;
import org.convene.meeting.Unit;
import org.convene.response.AttendanceService;
import org.convene.schedule.Reminder;
import org.convene.schedule.ReminderDao;

/**
 * The demo: a ward committee with three cells, the demo's own cell with a secretary and a dozen
 * members, a local group chat, three past months of held meetings with attendance in every cell (so
 * reports, the roll-up and attendance show figures on a first visit), and a meeting tonight whose
 * agenda reaches the chat about a minute after the first start. A later start reuses all of it: the
 * same upcoming meeting, no second agenda; {@link #reset} is the way to start afresh. Public for the
 * browser test that looks at the demo's pages.
 */
public final class DemoData {
    static final String UNIT_NAME = "Chi bộ khu Lạc Thanh";
    static final String COMMITTEE_NAME = "Đảng uỷ phường Lạc Thanh";
    static final List<String> OTHER_CELLS = List.of("Chi bộ khu Hồng Hà", "Chi bộ khu Bạch Đằng");
    static final String CHAT_ID = "lac-thanh";
    static final String MEETING_TITLE = "Sinh hoạt chi bộ định kỳ tháng ";
    private static final List<String[]> PEOPLE = List.of(
            new String[] {"Nguyễn Văn Hùng", "secretary"}, new String[] {"Trần Thị Lan", "deputy"},
            new String[] {"Lê Văn Minh", "member"}, new String[] {"Phạm Thị Hoa", "member"},
            new String[] {"Hoàng Văn Đức", "member"}, new String[] {"Vũ Thị Mai", "member"},
            new String[] {"Đặng Văn Tuấn", "member"}, new String[] {"Bùi Thị Hằng", "member"},
            new String[] {"Đỗ Văn Nam", "member"}, new String[] {"Ngô Thị Thu", "member"},
            new String[] {"Dương Văn Long", "member"}, new String[] {"Lý Thị Ngọc", "member"},
            new String[] {"Hồ Văn Sơn", "member"});
    private static final List<List<String>> OTHER_PEOPLE = List.of(
            List.of("Phan Văn Thắng", "Trịnh Thị Yến", "Mai Văn Khoa", "Đinh Thị Hạnh", "Tạ Văn Phúc", "Lương Thị Nga",
                    "Cao Văn Bảo", "Kiều Thị Duyên"),
            List.of("Võ Văn Tài", "Hà Thị Liên", "Chu Văn Quang", "Lâm Thị Oanh", "Tô Văn Hải", "Quách Thị Vân",
                    "Triệu Văn Lộc", "Âu Thị Nhung"));
    /**
     * Attendance of the three past months, oldest first, per cell: p present, e excused, a absent.
     * Lạc Thanh dips below the 90% target in its thematic month, Hồng Hà last month; Bạch Đằng held no meeting last month.
     */
    private static final List<List<String>> HISTORY = List.of(
            List.of("ppppppppppppe", "pppppppppppea", "ppppppppppppp"),
            List.of("pppppppe", "ppppppea", "pppppeaa"),
            List.of("pppppppp", "ppppppep", ""));

    private final Convene convene;
    private final Clock clock;

    public DemoData(Convene convene, Clock clock) {
        this.convene = convene;
        this.clock = clock;
    }

    /**
     * @param signInUrl a one-time link that signs the demo's secretary in to the pages
     * @param reused    true when an earlier start had seeded it all and its upcoming meeting was kept
     */
    public record Seeded(long unitId, long meetingId, String agendaDueLocal, String signInUrl, boolean reused) {}

    public Seeded seed() {
        var s = convene.services();
        Optional<Unit> existing = s.units().all().stream().filter(u -> u.name().equals(UNIT_NAME)).findFirst();
        Unit unit = existing.orElseGet(this::seedUnits);
        String secretary = s.members().list(unit.id()).stream().filter(m -> m.role() == Role.SECRETARY)
                .findFirst().orElseThrow().accounts().get("local");
        ZoneId zone = unit.zone();
        Instant now = clock.instant();
        Optional<Meeting> upcoming = s.meetings().list(List.of(unit.id()), now, null).stream()
                .filter(m -> !m.cancelled() && !m.recorded() && m.title().startsWith(MEETING_TITLE))
                .min(Comparator.comparing(Meeting::startsAt));
        Meeting meeting = upcoming.orElseGet(() -> tonight(unit));
        Instant agendaAt = s.database().jdbi().withExtension(ReminderDao.class, d -> d.ofMeeting(meeting.id())).stream()
                .filter(r -> r.kind().equals(Reminder.AGENDA)).map(Reminder::dueAt).findFirst().orElse(now);
        return new Seeded(unit.id(), meeting.id(), agendaAt.atZone(zone).format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " (" + zone + ")",
                s.signIn().linkForAccount("local", secretary).url(), upcoming.isPresent());
    }

    /** The committee, its three cells with their members, the demo chat, and the past months. Returns the demo's cell. */
    private Unit seedUnits() {
        var s = convene.services();
        Unit committee = s.units().create("demo", new Requests.NewUnit(COMMITTEE_NAME, null, "Asia/Ho_Chi_Minh", "vi"));
        Unit cell = s.units().create("demo", new Requests.NewUnit(UNIT_NAME, committee.id(), "Asia/Ho_Chi_Minh", "vi"));
        List<Long> cellPeople = new ArrayList<>();
        for (int i = 0; i < PEOPLE.size(); i++) {
            cellPeople.add(s.members().add(org.convene.meeting.Caller.admin("demo"), cell.id(), new Requests.NewMember(PEOPLE.get(i)[0], PEOPLE.get(i)[1],
                    "09" + String.format("%08d", 12345670 + i), null, null, "u" + (i + 1))).id());
        }
        // the secretary sits on the committee too, so the same sign-in reaches the roll-up of the three cells
        s.members().add(org.convene.meeting.Caller.admin("demo"), committee.id(), new Requests.NewMember(null, "supervisor", null, null, null, null, cellPeople.get(0), null, null));
        s.chats().add("demo", cell.id(), new Requests.NewChat("local", CHAT_ID, "Chi bộ Lạc Thanh 🏡"));
        List<Unit> cells = new ArrayList<>(List.of(cell));
        List<List<Long>> people = new ArrayList<>(List.of(cellPeople));
        for (int c = 0; c < OTHER_CELLS.size(); c++) {
            Unit other = s.units().create("demo", new Requests.NewUnit(OTHER_CELLS.get(c), committee.id(), "Asia/Ho_Chi_Minh", "vi"));
            List<Long> ids = new ArrayList<>();
            List<String> names = OTHER_PEOPLE.get(c);
            for (int i = 0; i < names.size(); i++) {
                ids.add(s.members().add(org.convene.meeting.Caller.admin("demo"), other.id(), new Requests.NewMember(names.get(i), i == 0 ? "secretary" : "member",
                        "09" + String.format("%08d", 22345670 + 100 * c + i), null, null)).id());
            }
            cells.add(other);
            people.add(ids);
        }
        seedHistory(cells, people);
        return cell;
    }

    /** One held meeting a month in each cell for the three months before this one, on the 5th at 19:30, with attendance. */
    private void seedHistory(List<Unit> cells, List<List<Long>> people) {
        var s = convene.services();
        for (int c = 0; c < cells.size(); c++) {
            Unit cell = cells.get(c);
            LocalDate thisMonth = clock.instant().atZone(cell.zone()).toLocalDate().withDayOfMonth(1);
            for (int k = 0; k < 3; k++) {
                String statuses = HISTORY.get(c).get(k);
                if (statuses.isEmpty()) continue;
                LocalDate day = thisMonth.minusMonths(3 - k).withDayOfMonth(5);
                boolean thematic = k == 1;
                Meeting held = s.meetings().create("demo", new Requests.MeetingRequest(cell.id(),
                        (thematic ? "Sinh hoạt chuyên đề tháng " : MEETING_TITLE) + day.getMonthValue(), thematic ? "thematic" : "regular",
                        day.atTime(19, 30).atZone(cell.zone()).toOffsetDateTime().toString(), 120, "Nhà văn hoá khu",
                        List.of(new AgendaItem("Báo cáo tình hình tháng trước", null, 20)), null, null,
                        thematic ? "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" : null, true));
                List<AttendanceService.Entry> entries = new ArrayList<>();
                for (int i = 0; i < statuses.length(); i++) {
                    entries.add(new AttendanceService.Entry(people.get(c).get(i), switch (statuses.charAt(i)) {
                        case 'e' -> "excused";
                        case 'a' -> "absent";
                        default -> "present";
                    }));
                }
                s.attendance().put("demo", held.id(), entries);
            }
        }
    }

    /** Tonight's meeting (or in two hours when 19:30 is too near): its agenda reaches the chat a minute from now. */
    private Meeting tonight(Unit unit) {
        var s = convene.services();
        ZoneId zone = unit.zone();
        Instant now = clock.instant();
        ZonedDateTime start = now.atZone(zone).with(LocalTime.of(19, 30));
        if (start.isBefore(now.atZone(zone).plusMinutes(30))) {
            start = now.atZone(zone).plusHours(2).truncatedTo(ChronoUnit.HOURS);
        }
        Instant agendaAt = now.plusSeconds(60);
        Duration offset = Duration.between(agendaAt, start.toInstant()).truncatedTo(ChronoUnit.SECONDS);
        Meeting meeting = s.meetings().create("demo", new Requests.MeetingRequest(unit.id(),
                MEETING_TITLE + start.getMonthValue(), "regular",
                start.toOffsetDateTime().toString(), 120, "Nhà văn hoá khu Lạc Thanh",
                List.of(new AgendaItem("Báo cáo tình hình tháng trước", "Đ/c Nguyễn Văn Hùng", 20),
                        new AgendaItem("Quán triệt nghị quyết của Đảng uỷ", "Đ/c Trần Thị Lan", 40),
                        new AgendaItem("Phân công nhiệm vụ tháng tới", null, 30),
                        new AgendaItem("Ý kiến của đảng viên", null, 30)),
                List.of(new Requests.ReminderRequest(offset.toString(), "agenda"), new Requests.ReminderRequest("PT30M", "reminder")),
                null));
        try (InputStream pdf = DemoData.class.getResourceAsStream("/demo/chuong-trinh-sinh-hoat.pdf")) {
            s.materials().attach("demo", meeting.id(), "chuong-trinh-sinh-hoat.pdf", pdf, false);
        } catch (IOException e) {
            throw new IllegalStateException("the demo PDF is missing from the jar", e);
        }
        return meeting;
    }

    /**
     * Deletes a demo's data folder so that the next start seeds afresh. Only a folder that holds a
     * Convene database (or nothing): --reset must never empty a folder someone pointed it at by mistake.
     */
    static void reset(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) return;
        boolean empty;
        try (var entries = Files.list(dataDir)) {
            empty = entries.findAny().isEmpty();
        }
        if (!empty && !Files.exists(dataDir.resolve("convene.db"))) {
            throw new IllegalStateException("--reset deletes a demo's data folder, but " + dataDir.toAbsolutePath()
                    + " holds no convene.db; it is left alone");
        }
        try (var walk = Files.walk(dataDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
