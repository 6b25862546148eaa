package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.convene.delivery.Delivery;
import org.convene.delivery.DeliveryDao;
import org.convene.meeting.Chat;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;
import org.convene.response.ResponseLedger;
import org.convene.response.ResponseService;

/**
 * The meeting as it happens: the tally, each member's ledger (sent → received → RSVP → attended) refreshed
 * by polling {@code live.json}, replies taken by phone, the chase button, and each chat's deliveries.
 */
final class MeetingLivePage {
    private final ApiServices s;
    private final Pages pages;

    MeetingLivePage(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    /** {@code documentsState} is "latest" or "older" once the member received the papers and one was replaced since; else empty. */
    record LedgerRow(long memberId, String name, String sent, String received, String rsvp, String rsvpState, String reason,
                     String source, String attended, String attendedState, boolean observer, String documents, String documentsState) {}

    record ChatDeliveries(String chat, String platform, String chatState, String counts, String lastError, boolean failed) {}

    record Live(ResponseLedger.Summary summary, List<LedgerRow> members, List<ChatDeliveries> chats, String summaryLine) {}

    record Option(String value, String label) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/meetings/{id}", ctx -> show(ctx, Map.of(), 200));
        cfg.routes.get("/meetings/{id}/live.json", ctx -> {
            Meeting meeting = meeting(ctx);
            Unit unit = s.units().get(meeting.unitId());
            ctx.header("Cache-Control", "no-store");
            ctx.json(live(meeting, pages.lang(ctx, unit.locale())));
        });
        cfg.routes.post("/meetings/{id}/replies", ctx -> {
            Meeting meeting = meeting(ctx);
            Long member;
            try {
                member = Long.valueOf(ctx.formParam("memberId"));
            } catch (NumberFormatException e) {
                member = null;
            }
            String rsvp = ctx.formParam("rsvp");
            String reason = ctx.formParam("reason");
            String code = ctx.formParam("reasonCode");
            try {
                s.responses().recordBySecretary(Pages.viewer(ctx).caller(), meeting.id(), member, rsvp,
                        "no".equals(rsvp) && reason != null && !reason.isBlank() ? reason : null,
                        "no".equals(rsvp) && code != null && !code.isBlank() ? code : null);
                ctx.redirect("/meetings/" + meeting.id() + "?replied=1#ledger");
            } catch (ConveneException.Invalid e) {
                show(ctx, Map.of("replyError", true), 422);
            }
        });
        cfg.routes.post("/meetings/{id}/chase", ctx -> {
            Meeting meeting = meeting(ctx);
            String outcome = switch (s.responses().chaseState(meeting.id())) {
                case READY -> {
                    try {
                        yield "sent&chats=" + s.responses().chase(Pages.viewer(ctx).actor(), meeting.id());
                    } catch (ConveneException.Conflict e) {
                        yield "quiet";
                    }
                }
                case CANCELLED -> "cancelled";
                case BEGUN -> "begun";
                case NO_AGENDA -> "no_agenda";
                case NOBODY -> "nobody";
            };
            ctx.redirect("/meetings/" + meeting.id() + "?chase=" + outcome);
        });
    }

    private Meeting meeting(Context ctx) {
        Meeting meeting = s.meetings().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, meeting.unitId());
        return meeting;
    }

    private void show(Context ctx, Map<String, Object> extra, int status) {
        Meeting meeting = meeting(ctx);
        Unit unit = s.units().get(meeting.unitId());
        String lang = pages.lang(ctx, unit.locale());
        Map<String, Object> m = pages.model(ctx, lang, meeting.title());
        m.put("unit", unit);
        m.put("memberLabel", pages.text(lang, "word_" + unit.memberWord() + "_one"));
        m.put("meeting", meeting);
        m.put("when", Pages.when(meeting, lang));
        new SeriesWords(pages).addTo(m, s.series(), meeting, lang);
        m.put("cancelled", meeting.cancelled());
        Live live = live(meeting, lang);
        m.put("live", live);
        m.put("members", live.members().stream().filter(r -> !r.observer()).toList());
        m.put("rsvps", List.of(new Option("yes", pages.text(lang, "rsvp_yes")), new Option("no", pages.text(lang, "rsvp_no")),
                new Option("received", pages.text(lang, "rsvp_received"))));
        m.put("reasonCodes", ResponseService.REASON_CODES.stream().sorted().map(c -> new Option(c, pages.text(lang, "reason_" + c))).toList());
        m.put("attendanceState", s.followUp().state(meeting));
        m.put("attendanceStateLabel", pages.text(lang, "attendance_" + s.followUp().state(meeting)));
        ResponseService.ChaseState chaseState = s.responses().chaseState(meeting.id());
        // before the agenda and with nobody left the button stays, disabled, with the reason beneath it
        m.put("showChase", chaseState != ResponseService.ChaseState.CANCELLED && chaseState != ResponseService.ChaseState.BEGUN);
        m.put("canChase", chaseState == ResponseService.ChaseState.READY);
        m.put("chaseHint", pages.text(lang, switch (chaseState) {
            case NO_AGENDA -> "chase_hint_no_agenda";
            case NOBODY -> "chase_hint_nobody";
            default -> "chase_hint";
        }));
        String chase = ctx.queryParam("chase");
        if (chase != null) {
            boolean ok = chase.equals("sent");
            m.put("chaseNotice", ok ? pages.text(lang, "chase_sent", ctx.queryParam("chats") == null ? "0" : ctx.queryParam("chats"))
                    : pages.text(lang, "chase_" + (List.of("quiet", "begun", "cancelled", "no_agenda", "nobody").contains(chase) ? chase : "quiet")));
            m.put("chaseOk", ok);
        }
        if (ctx.queryParam("replied") != null) m.put("replied", true);
        m.putAll(extra);
        ctx.status(status);
        pages.render(ctx, "live", m);
    }

    /** What the page shows and its script refreshes: every text already in the viewer's language. */
    Live live(Meeting meeting, String lang) {
        ZoneId zone = ZoneId.of(meeting.zone());
        ResponseLedger.Responses responses = s.responses().responses(meeting.id());
        List<LedgerRow> rows = new ArrayList<>();
        for (ResponseLedger.MemberAnswer a : responses.members()) {
            String rsvp = a.rsvp() != null ? a.rsvp() : a.receivedAt() != null ? "received" : "none";
            String attended = a.attendance() == null ? "none" : a.attendance();
            String reason = a.reason() != null ? a.reason() : a.reasonCode() != null ? pages.text(lang, "reason_" + a.reasonCode()) : "";
            // only once a paper was replaced after the agenda went out does "which version" tell the secretary anything
            String docs = responses.documents().revision() == 0 || a.latestDocuments() == null ? "" : a.latestDocuments() ? "latest" : "older";
            rows.add(new LedgerRow(a.memberId(), a.name(), Pages.shortTime(a.sentAt(), zone), Pages.shortTime(a.receivedAt(), zone),
                    pages.text(lang, "rsvp_" + rsvp), rsvp, reason, a.source() == null ? "" : pages.text(lang, "source_" + a.source()),
                    pages.text(lang, "att_" + attended), attended, a.observer(), docs.isEmpty() ? "" : pages.text(lang, "documents_" + docs), docs));
        }
        Map<Long, Chat> chats = new LinkedHashMap<>();
        s.chats().ofUnit(meeting.unitId()).forEach(c -> chats.put(c.id(), c));
        Map<Long, List<Delivery>> byChat = new LinkedHashMap<>();
        for (Delivery d : s.jdbi().withExtension(DeliveryDao.class, dao -> dao.ofMeeting(meeting.id()))) {
            byChat.computeIfAbsent(d.chatId(), k -> new ArrayList<>()).add(d);
        }
        List<ChatDeliveries> chatRows = new ArrayList<>();
        for (Map.Entry<Long, List<Delivery>> e : byChat.entrySet()) {
            Chat chat = chats.get(e.getKey());
            Map<String, Integer> counts = new TreeMap<>();
            String lastError = "";
            for (Delivery d : e.getValue()) {
                counts.merge(d.state(), 1, Integer::sum);
                if (d.lastError() != null && !d.state().equals(Delivery.SENT)) lastError = d.lastError();
            }
            List<String> parts = new ArrayList<>();
            counts.forEach((state, n) -> parts.add(pages.text(lang, "delivery_" + state) + " " + n));
            chatRows.add(new ChatDeliveries(chat == null ? "#" + e.getKey() : HomePage.chatName(chat), chat == null ? "" : chat.platform(),
                    chat == null ? "" : pages.text(lang, "chat_" + chat.state()), String.join(" · ", parts), lastError,
                    counts.containsKey(Delivery.FAILED)));
        }
        var sum = responses.summary();
        String line = pages.text(lang, "tally_line", sum.received(), sum.invited(), sum.yes(), sum.no(), sum.noReply());
        return new Live(sum, rows, chatRows, line);
    }
}
