package org.convene.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.convene.chat.Button;
import org.convene.chat.OutgoingMessage;
import org.convene.delivery.ButtonIds.Action;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Material;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingKind;
import org.convene.meeting.Unit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What members read in their chat, from the built-in templates, in the unit's language and the meeting's zone. */
class MessageRendererTest {
    static final Instant CREATED = Instant.parse("2026-12-01T01:00:00Z");

    final ButtonIds buttonIds = new ButtonIds("a test key of sixteen bytes or more".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    final MessageRenderer renderer = new MessageRenderer(new Templates(null), buttonIds);

    @Test
    void agenda_for_a_platform_without_documents_links_the_materials_page_under_the_list() {
        List<Material> docs = List.of(material("Nghị quyết.pdf", 2_621_440));
        String vi = renderer.agenda(unit("vi"), aMeeting().build(), docs, List.of(), false, "https://convene.example.org/m/tok").text();
        String en = renderer.agenda(unit("en"), aMeeting().build(), docs, List.of(), false, "https://convene.example.org/m/tok").text();
        String posted = renderer.agenda(unit("vi"), aMeeting().build(), docs, List.of(), false, null).text();

        assertThat(vi.lines()).containsSubsequence("📎 Nghị quyết.pdf (2,5 MB)", "⬇ Tải tài liệu tại: https://convene.example.org/m/tok");
        assertThat(en.lines()).contains("⬇ Download the documents: https://convene.example.org/m/tok");
        assertThat(posted).doesNotContain("/m/", "⬇");
    }

    @Test
    void agenda_in_vietnamese_shows_the_time_place_numbered_items_and_documents() {
        Meeting meeting = aMeeting().build();

        String text = renderer.agenda(unit("vi"), meeting, List.of(material("Nghị quyết.pdf", 2_621_440), material("Danh sách.xlsx", 1536))).text();

        assertThat(text.lines()).contains(
                "📋 Chi bộ khu Lạc Thanh",
                "Sinh hoạt chi bộ tháng 12",
                "🗓 Thứ Bảy, 05/12/2026 lúc 19:30",
                "📍 Nhà văn hoá",
                "1. Báo cáo tình hình — Trần Thị Lan (15 phút)",
                "2. Phân công nhiệm vụ",
                "📎 Nghị quyết.pdf (2,5 MB)",
                "📎 Danh sách.xlsx (2 KB)");
    }

    @Test
    void agenda_in_vietnamese_has_three_buttons_whose_ids_lead_back_to_the_meeting() {
        OutgoingMessage.Text message = renderer.agenda(unit("vi"), aMeeting().id(42).build(), List.of());

        List<Button> row = onlyRow(message);
        assertThat(row).extracting(Button::label).containsExactly("✅ Đã nhận", "🙋 Sẽ tham dự", "🚫 Xin vắng");
        assertThat(row).extracting(b -> buttonIds.parse(b.id()).orElseThrow()).containsExactly(
                new ButtonIds.Parsed(42, Action.RECEIVED), new ButtonIds.Parsed(42, Action.COMING), new ButtonIds.Parsed(42, Action.ABSENT));
    }

    @Test
    void agenda_in_english_shows_the_english_date_items_and_documents() {
        String text = renderer.agenda(unit("en"), aMeeting().build(), List.of(material("Nghị quyết.pdf", 2_621_440))).text();

        assertThat(text.lines()).contains(
                "🗓 Saturday, 5 December 2026 at 19:30",
                "📍 Nhà văn hoá",
                "Agenda:",
                "1. Báo cáo tình hình — Trần Thị Lan (15 min)",
                "2. Phân công nhiệm vụ",
                "Documents:",
                "📎 Nghị quyết.pdf (2.5 MB)");
    }

    @Test
    void agenda_in_english_has_english_buttons_whose_ids_lead_back_to_the_meeting() {
        OutgoingMessage.Text message = renderer.agenda(unit("en"), aMeeting().id(7).build(), List.of());

        List<Button> row = onlyRow(message);
        assertThat(row).extracting(Button::label).containsExactly("✅ Received", "🙋 I'll come", "🚫 Can't come");
        assertThat(row).extracting(b -> buttonIds.parse(b.id()).orElseThrow()).containsExactly(
                new ButtonIds.Parsed(7, Action.RECEIVED), new ButtonIds.Parsed(7, Action.COMING), new ButtonIds.Parsed(7, Action.ABSENT));
    }

    @Test
    void an_agenda_without_items_or_documents_leaves_their_headings_out() {
        String text = renderer.agenda(unit("vi"), aMeeting().withoutAgenda().build(), List.of()).text();

        assertThat(text).doesNotContain("Nội dung:", "Tài liệu:", "📎");
    }

    @Test
    void a_meeting_in_another_time_zone_shows_its_own_local_time() {
        Meeting tokyo = aMeeting().at("2026-12-05T19:30", "Asia/Tokyo").build();

        String text = renderer.agenda(unit("vi"), tokyo, List.of()).text();

        assertThat(text).contains("Thứ Bảy, 05/12/2026 lúc 19:30").doesNotContain("10:30", "17:30");
    }

    @Test
    void titles_and_places_are_not_html_escaped() {
        Meeting meeting = aMeeting().titled("Họp <b>& \"khẩn\"</b> 'ngay'").at("Phòng <2> & sân").build();

        String agenda = renderer.agenda(unit("vi"), meeting, List.of()).text();
        String reminder = renderer.reminder(unit("en"), meeting, CREATED).text();

        assertThat(agenda).contains("Họp <b>& \"khẩn\"</b> 'ngay'", "📍 Phòng <2> & sân").doesNotContain("&amp;", "&lt;", "&quot;", "&#39;");
        assertThat(reminder).contains("Họp <b>& \"khẩn\"</b> 'ngay'").doesNotContain("&amp;", "&lt;");
    }

    @Test
    void reminder_in_vietnamese_names_the_meeting_time_and_place() {
        String text = renderer.reminder(unit("vi"), aMeeting().build(), CREATED).text();

        assertThat(text).isEqualTo("""
                ⏰ Nhắc lịch: Sinh hoạt chi bộ tháng 12
                🗓 Thứ Bảy, 05/12/2026 lúc 19:30
                📍 Nhà văn hoá

                Đề nghị các đồng chí thành viên dự họp đúng giờ.""");
    }

    @Test
    void reminder_in_english_names_the_meeting_time_and_place() {
        String text = renderer.reminder(unit("en"), aMeeting().build(), CREATED).text();

        assertThat(text).isEqualTo("""
                ⏰ Reminder: Sinh hoạt chi bộ tháng 12
                🗓 Saturday, 5 December 2026 at 19:30
                📍 Nhà văn hoá

                All members are asked to be on time.""");
    }

    @Test
    void change_in_vietnamese_shows_the_new_and_the_old_time_and_place() {
        Meeting before = aMeeting().build();
        Meeting after = aMeeting().at("2026-12-06T08:00", "Asia/Ho_Chi_Minh").at("Hội trường thôn").build();

        String text = renderer.changed(unit("vi"), before, after).text();

        assertThat(text.lines()).containsExactly(
                "🔁 Thay đổi lịch họp: Sinh hoạt chi bộ tháng 12",
                "Thời gian mới: Chủ Nhật, 06/12/2026 lúc 08:00",
                "Địa điểm: Hội trường thôn",
                "(Trước đây: 05/12/2026 lúc 19:30, Nhà văn hoá)");
    }

    @Test
    void change_in_english_shows_the_new_and_the_old_time_and_place() {
        Meeting before = aMeeting().build();
        Meeting after = aMeeting().at("2026-12-06T08:00", "Asia/Ho_Chi_Minh").at("Hội trường thôn").build();

        String text = renderer.changed(unit("en"), before, after).text();

        assertThat(text.lines()).containsExactly(
                "🔁 Meeting changed: Sinh hoạt chi bộ tháng 12",
                "New time: Sunday, 6 December 2026 at 08:00",
                "Place: Hội trường thôn",
                "(Was: 5 December 2026 at 19:30, Nhà văn hoá)");
    }

    @Test
    void cancellation_in_vietnamese_gives_the_reason() {
        String text = renderer.cancelled(unit("vi"), aMeeting().cancelledBecause("Bão số 9").build()).text();

        assertThat(text.lines()).containsExactly(
                "❌ Huỷ cuộc họp: Sinh hoạt chi bộ tháng 12 (Thứ Bảy, 05/12/2026 lúc 19:30)",
                "Lý do: Bão số 9");
    }

    @Test
    void cancellation_in_english_gives_the_reason() {
        String text = renderer.cancelled(unit("en"), aMeeting().cancelledBecause("Storm").build()).text();

        assertThat(text.lines()).containsExactly(
                "❌ Meeting cancelled: Sinh hoạt chi bộ tháng 12 (Saturday, 5 December 2026 at 19:30)",
                "Reason: Storm");
    }

    @Test
    void a_cancellation_without_a_reason_is_one_line() {
        String text = renderer.cancelled(unit("vi"), aMeeting().cancelledBecause(null).build()).text();

        assertThat(text).isEqualTo("❌ Huỷ cuộc họp: Sinh hoạt chi bộ tháng 12 (Thứ Bảy, 05/12/2026 lúc 19:30)");
    }

    @Test
    void an_operators_template_wins_and_the_missing_ones_come_from_the_jar(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("vi"));
        Files.writeString(dir.resolve("vi/agenda.mustache"), "Lịch của chi bộ: {{title}} — {{weekday}} {{date}} {{time}} — {{location}}\n");
        MessageRenderer operators = new MessageRenderer(new Templates(dir), buttonIds);

        OutgoingMessage.Text agenda = operators.agenda(unit("vi"), aMeeting().build(), List.of());
        String reminder = operators.reminder(unit("vi"), aMeeting().build(), CREATED).text();

        assertThat(agenda.text()).isEqualTo("Lịch của chi bộ: Sinh hoạt chi bộ tháng 12 — Thứ Bảy 05/12/2026 19:30 — Nhà văn hoá");
        assertThat(onlyRow(agenda)).extracting(Button::label).containsExactly("✅ Đã nhận", "🙋 Sẽ tham dự", "🚫 Xin vắng");
        assertThat(reminder).startsWith("⏰ Nhắc lịch: Sinh hoạt chi bộ tháng 12");
    }

    // ---- fixtures ----

    @Test
    void a_party_cell_and_a_union_branch_address_their_own_members_in_agenda_reminder_and_chase() {
        Unit cell = new Unit(1, "Chi bộ khu Lạc Thanh", null, "Asia/Ho_Chi_Minh", "vi", "feed", CREATED, false, "party");
        Unit branch = new Unit(2, "Chi đoàn khu Lạc Thanh", null, "Asia/Ho_Chi_Minh", "vi", "feed", CREATED, false, "youth");
        Unit cellEn = new Unit(3, "Lac Thanh cell", null, "Asia/Ho_Chi_Minh", "en", "feed", CREATED, false, "party");
        Unit branchEn = new Unit(4, "Lac Thanh branch", null, "Asia/Ho_Chi_Minh", "en", "feed", CREATED, false, "youth");
        Meeting meeting = aMeeting().build();

        assertThat(renderer.agenda(cell, meeting, List.of()).text().lines()).contains("Kính mời các đồng chí đảng viên tham dự đầy đủ.");
        assertThat(renderer.agenda(branch, meeting, List.of()).text().lines()).contains("Kính mời các đồng chí đoàn viên tham dự đầy đủ.");
        assertThat(renderer.reminder(cell, meeting, CREATED).text()).endsWith("Đề nghị các đồng chí đảng viên dự họp đúng giờ.");
        assertThat(renderer.chase(branch, meeting, List.of("An", "Bình"), List.of()).text().lines())
                .contains("Các đồng chí đoàn viên chưa trả lời: An, Bình");
        assertThat(renderer.agenda(cellEn, meeting, List.of()).text().lines()).contains("All party members are invited to attend.");
        assertThat(renderer.reminder(branchEn, meeting, CREATED).text()).endsWith("All Youth Union members are asked to be on time.");
        assertThat(renderer.chase(cellEn, meeting, List.of("An"), List.of()).text().lines())
                .contains("Party members who have not answered yet: An");
        assertThat(renderer.agenda(unit("vi"), meeting, List.of()).text()).doesNotContain("đảng viên", "đoàn viên");
    }

    static Unit unit(String locale) {
        return new Unit(1, "Chi bộ khu Lạc Thanh", null, "Asia/Ho_Chi_Minh", locale, "feed", CREATED, false);
    }

    static Material material(String filename, long size) {
        return new Material(filename.hashCode(), 1, filename, "application/pdf", size, "0".repeat(64), false, CREATED, null, 1, null, false);
    }

    static List<Button> onlyRow(OutgoingMessage.Text message) {
        assertThat(message.buttons()).hasSize(1);
        return message.buttons().get(0);
    }

    static MeetingBuilder aMeeting() {
        return new MeetingBuilder();
    }

    /** Saturday 5 December 2026, 19:30 in Viet Nam, at the cultural house, with two agenda items. */
    static final class MeetingBuilder {
        long id = 1;
        String title = "Sinh hoạt chi bộ tháng 12";
        String local = "2026-12-05T19:30";
        String zone = "Asia/Ho_Chi_Minh";
        String location = "Nhà văn hoá";
        String status = Meeting.SCHEDULED;
        String reason;
        List<AgendaItem> agenda = new ArrayList<>(List.of(
                new AgendaItem("Báo cáo tình hình", "Trần Thị Lan", 15), new AgendaItem("Phân công nhiệm vụ", null, null)));

        MeetingBuilder id(long value) {
            id = value;
            return this;
        }

        MeetingBuilder titled(String value) {
            title = value;
            return this;
        }

        MeetingBuilder at(String localStart, String zoneId) {
            local = localStart;
            zone = zoneId;
            return this;
        }

        MeetingBuilder at(String place) {
            location = place;
            return this;
        }

        MeetingBuilder withoutAgenda() {
            agenda = List.of();
            return this;
        }

        MeetingBuilder cancelledBecause(String why) {
            status = Meeting.CANCELLED;
            reason = why;
            return this;
        }

        Meeting build() {
            Instant start = LocalDateTime.parse(local).atZone(ZoneId.of(zone)).toInstant();
            return new Meeting(id, 1, title, MeetingKind.REGULAR, start, zone, 90, location, status, reason, 1, agenda, List.of(),
                    CREATED, CREATED);
        }
    }

    @Test
    void sizes_are_written_as_each_language_writes_them_without_a_trailing_zero() {
        assertThat(MessageRenderer.humanSize(20L * 1024 * 1024, "vi")).isEqualTo("20 MB");
        assertThat(MessageRenderer.humanSize(2_621_440, "vi")).isEqualTo("2,5 MB");
        assertThat(MessageRenderer.humanSize(2_621_440, "en")).isEqualTo("2.5 MB");
        assertThat(MessageRenderer.humanSize(1536, "vi")).isEqualTo("2 KB");
    }
}
