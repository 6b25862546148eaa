package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Material;
import org.convene.meeting.MaterialTypes;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingKind;
import org.convene.meeting.Requests;
import org.convene.meeting.Unit;
import org.convene.schedule.Reminder;
import org.convene.schedule.ReminderDao;
import org.convene.schedule.SeriesRequest;
import org.convene.schedule.SeriesService;
import org.convene.schedule.VietnameseLunarCalendar;

/**
 * The meeting editor: title, kind, date and time picked from free slots, place, agenda items, the reminder
 * plan as a preset, and materials uploaded with progress (the page's script) or as a plain form.
 */
final class MeetingEditorPage {
    /** Reminder plans a secretary picks from instead of writing ISO durations. */
    static final Map<String, List<String>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("standard", List.of("P3D agenda", "P1D reminder", "PT2H reminder"));
        PRESETS.put("chase", List.of("P3D agenda", "P1D chase", "PT2H reminder"));
        PRESETS.put("short", List.of("P1D agenda", "PT2H reminder"));
        PRESETS.put("sameday", List.of("PT4H agenda", "PT1H reminder"));
    }

    /** How a new meeting repeats: not at all, or as a series whose rule is made from the chosen date (or typed). */
    enum Repeat {
        NONE("none"), WEEKLY("weekly"), MONTHLY("monthly"), LUNAR("lunar"), CUSTOM("custom");

        final String wire;

        Repeat(String wire) {
            this.wire = wire;
        }

        static java.util.Optional<Repeat> of(String wire) {
            return java.util.Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst();
        }
    }

    static final List<String> HOLIDAY_POLICIES = List.of("allow", "skip", "next-day", "previous-day");

    private static final int SLOT_DAYS = 8;

    private final ApiServices s;
    private final Pages pages;
    private final FreeSlots slots;
    private final SeriesWords words;

    MeetingEditorPage(ApiServices services, Pages pages, FreeSlots slots) {
        this.s = services;
        this.pages = pages;
        this.slots = slots;
        this.words = new SeriesWords(pages);
    }

    record Option(String value, String label, boolean selected) {}

    record AgendaRow(int index, String title, String presenter, String minutes) {}

    record SlotButton(int index, String date, String time, String label, String why) {}

    /** {@code versionLabel} is empty for a first version; {@code warnings} name the platforms that get the document as a link. */
    record MaterialRow(long id, String filename, String size, String type, String url, boolean confidential, String versionLabel,
                       List<String> warnings, String viewsUrl) {}

    record FieldError(String field, String message) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/units/{id}/meetings/new", ctx -> {
            Unit unit = unit(ctx);
            editor(ctx, unit, null, Form.empty(), List.of(), 200);
        });
        cfg.routes.post("/units/{id}/meetings", ctx -> {
            Unit unit = unit(ctx);
            Form form = Form.read(ctx);
            if (form.repeats()) {
                createSeries(ctx, unit, form);
                return;
            }
            try {
                checkObservers(ctx, unit, null, form);
                Meeting created = s.meetings().create(Pages.viewer(ctx).caller(), form.request(unit.id(), null));
                ctx.redirect("/meetings/" + created.id() + "/edit?saved=1");
            } catch (ConveneException.Invalid e) {
                editor(ctx, unit, null, form, e.errors(), 422);
            }
        });
        cfg.routes.get("/meetings/{id}/edit", ctx -> {
            Meeting meeting = meeting(ctx);
            editor(ctx, s.units().get(meeting.unitId()), meeting, Form.of(meeting), List.of(), 200);
        });
        cfg.routes.post("/meetings/{id}/edit", ctx -> {
            Meeting meeting = meeting(ctx);
            Form form = Form.read(ctx);
            if ("following".equals(ctx.formParam("scope"))) {
                changeFollowing(ctx, meeting, form);
                return;
            }
            try {
                checkObservers(ctx, s.units().get(meeting.unitId()), meeting, form);
                s.meetings().change(Pages.viewer(ctx).caller(), meeting.id(), form.request(null, Form.of(meeting)));
                ctx.redirect("/meetings/" + meeting.id() + "/edit?saved=1");
            } catch (ConveneException.Invalid e) {
                editor(ctx, s.units().get(meeting.unitId()), meeting, form, e.errors(), 422);
            }
        });
        // cancelling tells every chat at once, so the first tap only asks; the confirmation carries the reason on
        cfg.routes.post("/meetings/{id}/cancel", ctx -> {
            Meeting meeting = meeting(ctx);
            String reason = blankToNull(ctx.formParam("reason"));
            if (!"yes".equals(ctx.formParam("confirm"))) {
                ctx.redirect("/meetings/" + meeting.id() + "/edit?confirmCancel=1"
                        + (reason == null ? "" : "&reason=" + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8)) + "#cancel");
                return;
            }
            s.meetings().cancel(Pages.viewer(ctx).actor(), meeting.id(), reason);
            ctx.redirect("/meetings/" + meeting.id() + "/edit");
        });
        cfg.routes.post("/meetings/{id}/reinstate", ctx -> {
            Meeting meeting = meeting(ctx);
            s.meetings().reinstate(Pages.viewer(ctx).actor(), meeting.id());
            ctx.redirect("/meetings/" + meeting.id() + "/edit?saved=reinstated");
        });
        cfg.routes.post("/meetings/{id}/series/end", ctx -> {
            // "end the series after this meeting": its later meetings are cancelled and their chats told
            Meeting meeting = meeting(ctx);
            SeriesService.Membership in = s.series().ofMeeting(meeting.id())
                    .orElseThrow(() -> new ConveneException.NotFound("series of meeting", meeting.id()));
            int before = s.series().get(in.series().id()).upcoming().size();
            int after = s.series().end(Pages.viewer(ctx).actor(), in.series().id(), in.occurrenceDate().toString()).upcoming().size();
            ctx.redirect("/meetings/" + meeting.id() + "/edit?saved=seriesEnded&cancelled=" + Math.max(0, before - after));
        });
        cfg.routes.post("/meetings/{id}/delete", ctx -> {
            // a meeting made by mistake goes while nothing of it went out; afterwards the page says to cancel it
            Meeting meeting = meeting(ctx);
            Unit unit = s.units().get(meeting.unitId());
            try {
                s.meetings().delete(Pages.viewer(ctx).actor(), meeting.id());
            } catch (ConveneException.Conflict e) {
                editor(ctx, unit, meeting, Form.of(meeting), List.of(), 409, Map.of("problem", pages.refusal(pages.lang(ctx, unit.locale()), e)));
                return;
            }
            ctx.redirect("/units/" + unit.id() + "?meetingDeleted=" + Pages.url(meeting.title()));
        });
        cfg.routes.post("/materials/{id}/delete", ctx -> {
            Material material = s.materials().get(Pages.id(ctx, "id"));
            Meeting meeting = s.meetings().get(material.meetingId());
            Pages.requireUnit(ctx, meeting.unitId());
            Unit unit = s.units().get(meeting.unitId());
            try {
                s.materials().delete(Pages.viewer(ctx).actor(), material.id());
            } catch (ConveneException.Conflict e) {
                editor(ctx, unit, meeting, Form.of(meeting), List.of(), 409, Map.of("problem", pages.refusal(pages.lang(ctx, unit.locale()), e)));
                return;
            }
            ctx.redirect("/meetings/" + meeting.id() + "/edit#materials");
        });
        cfg.routes.post("/meetings/{id}/materials", this::upload);
        cfg.routes.post("/materials/{id}/replace", this::replace);
        cfg.routes.get("/materials/{id}", ctx -> {
            Material material = s.materials().get(Pages.id(ctx, "id"));
            Pages.requireUnit(ctx, s.meetings().get(material.meetingId()).unitId());
            s.reading().recordManagerDownload(Pages.viewer(ctx).reader(), material);
            ctx.contentType(material.mediaType());
            ctx.header("Content-Disposition", "attachment; filename*=UTF-8''" + Pages.url(material.filename()).replace("+", "%20"));
            ctx.result(Files.newInputStream(s.materials().content(material)));
        });
    }

    /**
     * A new meeting that repeats becomes a series: checked whole first (the page's own checks and the
     * service's, every error beside its field, nothing stored), then made, and the secretary lands on its
     * first meeting.
     */
    private void createSeries(Context ctx, Unit unit, Form form) {
        String lang = pages.lang(ctx, unit.locale());
        List<ConveneException.FieldError> errors = new ArrayList<>();
        SeriesRequest request = form.seriesRequest(unit.id(), unit.zone(), s.clock().instant(), errors, pages, lang);
        try {
            s.series().check(request);
        } catch (ConveneException.Invalid e) {
            errors.addAll(e.errors());
        }
        // a series makes ordinary meetings: observers belong to one pilot meeting, not to every occurrence
        if (form.observers() != null && !form.observers().isEmpty()) {
            errors.add(new ConveneException.FieldError("observerUnitIds", pages.text(lang, "err_observers_series")));
        }
        if (!errors.isEmpty()) {
            editor(ctx, unit, null, form, errors, 422);
            return;
        }
        SeriesService.WithUpcoming made;
        try {
            made = s.series().create(Pages.viewer(ctx).actor(), request);
        } catch (ConveneException.Invalid e) {
            editor(ctx, unit, null, form, e.errors(), 422);
            return;
        }
        if (made.upcoming().isEmpty()) {
            // a rule whose first day lies beyond the weeks the series makes ahead: nothing to open yet
            ctx.redirect("/units/" + unit.id() + "?series=later");
        } else {
            ctx.redirect("/meetings/" + made.upcoming().get(0).id() + "/edit?saved=series&made=" + made.upcoming().size());
        }
    }

    private Unit unit(Context ctx) {
        Unit unit = s.units().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, unit.id());
        return unit;
    }

    private Meeting meeting(Context ctx) {
        Meeting meeting = s.meetings().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, meeting.unitId());
        return meeting;
    }

    /** A new version of a document from the editor's plain form; the editor comes back saying what became of it. */
    private void replace(Context ctx) throws Exception {
        Material previous = s.materials().get(Pages.id(ctx, "id"));
        Meeting meeting = s.meetings().get(previous.meetingId());
        Pages.requireUnit(ctx, meeting.unitId());
        Unit unit = s.units().get(meeting.unitId());
        String lang = pages.lang(ctx, unit.locale());
        UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
        String error;
        int status;
        if (file == null || file.size() == 0) {
            error = pages.text(lang, "upload_choose");
            status = 422;
        } else {
            try (InputStream in = file.content()) {
                s.materials().replace(Pages.viewer(ctx).actor(), previous.id(), file.filename(), in);
                ctx.redirect("/meetings/" + meeting.id() + "/edit?replaced=1#materials");
                return;
            } catch (ConveneException.TooLarge e) {
                error = pages.text(lang, "upload_too_large", size(s.materials().maxBytes(), lang));
                status = 413;
            } catch (ConveneException.UnsupportedType e) {
                error = previous.confidential() ? pages.text(lang, "upload_confidential_type") : pages.text(lang, "upload_bad_type", MaterialTypes.allowedList());
                status = 415;
            } catch (ConveneException.Conflict e) {
                error = pages.text(lang, "material_replaced_already");
                status = 409;
            } catch (ConveneException.Invalid e) {
                error = pages.text(lang, "upload_choose");
                status = 422;
            }
        }
        editor(ctx, unit, meeting, Form.of(meeting), List.of(), status, Map.of("uploadError", error));
    }

    /**
     * A material from the page: its script sends it with XMLHttpRequest (for the progress bar) and wants
     * JSON back; a plain form post gets the editor again, with the error beside the upload field.
     */
    private void upload(Context ctx) throws Exception {
        Meeting meeting = meeting(ctx);
        Unit unit = s.units().get(meeting.unitId());
        String lang = pages.lang(ctx, unit.locale());
        UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
        String error = null;
        int status = 201;
        Material material = null;
        if (file == null || file.size() == 0) {
            error = pages.text(lang, "upload_choose");
            status = 422;
        } else if (file.size() > s.materials().maxBytes()) {
            error = pages.text(lang, "upload_too_large", size(s.materials().maxBytes(), lang));
            status = 413;
        } else {
            try (InputStream in = file.content()) {
                boolean confidential = "true".equals(ctx.formParam("confidential"));
                material = s.materials().attach(Pages.viewer(ctx).actor(), meeting.id(), file.filename(), in,
                        new org.convene.meeting.MaterialService.Sharing(confidential, confidential && "true".equals(ctx.formParam("observersMayView"))));
            } catch (ConveneException.TooLarge e) {
                error = pages.text(lang, "upload_too_large", size(s.materials().maxBytes(), lang));
                status = 413;
            } catch (ConveneException.UnsupportedType e) {
                error = "true".equals(ctx.formParam("confidential")) ? pages.text(lang, "upload_confidential_type")
                        : pages.text(lang, "upload_bad_type", MaterialTypes.allowedList());
                status = 415;
            } catch (ConveneException.Invalid e) {
                error = pages.text(lang, "upload_choose");
                status = 422;
            }
        }
        if (Pages.wantsJson(ctx)) {
            ctx.status(status).json(error == null ? Map.of("ok", true, "material", row(material, lang)) : Map.of("ok", false, "message", error));
        } else if (error == null) {
            ctx.redirect("/meetings/" + meeting.id() + "/edit?uploaded=1#materials");
        } else {
            Map<String, Object> extra = Map.of("uploadError", error);
            editor(ctx, unit, meeting, Form.of(meeting), List.of(), status, extra);
        }
    }

    /**
     * "This and the following meetings": the change goes to the series from this meeting's day, and the
     * series re-makes its meetings from then on (those nobody changed by hand). Moving to another day is a
     * new rule, which this form does not make: it says so instead of guessing one.
     */
    private void changeFollowing(Context ctx, Meeting meeting, Form form) {
        Unit unit = s.units().get(meeting.unitId());
        String lang = pages.lang(ctx, unit.locale());
        Optional<SeriesService.Membership> in = s.series().ofMeeting(meeting.id());
        Form before = Form.of(meeting);
        List<ConveneException.FieldError> errors = new ArrayList<>();
        if (in.isEmpty() || in.get().exception()) errors.add(new ConveneException.FieldError("scope", pages.text(lang, "err_scope_single")));
        else if (!form.date().equals(before.date())) errors.add(new ConveneException.FieldError("scope", pages.text(lang, "err_scope_day")));
        if (form.observers() != null && !form.observers().isEmpty()) {
            errors.add(new ConveneException.FieldError("observerUnitIds", pages.text(lang, "err_observers_series")));
        }
        if (!errors.isEmpty()) {
            editor(ctx, unit, meeting, form, errors, 422);
            return;
        }
        SeriesRequest change = new SeriesRequest(null, form.title(), form.kind().isEmpty() ? null : form.kind(), null, null, null,
                form.time().equals(before.time()) ? null : form.time(), form.duration(), null, form.plan(), form.agenda(), form.location(),
                in.get().occurrenceDate().toString());
        try {
            s.series().change(Pages.viewer(ctx).actor(), in.get().series().id(), change);
        } catch (ConveneException.Invalid e) {
            editor(ctx, unit, meeting, form, e.errors(), 422);
            return;
        }
        ctx.redirect("/meetings/" + meeting.id() + "/edit?saved=seriesChanged");
    }

    /**
     * The units a meeting may invite as observers from this page: those the viewer looks after (a
     * district's secretary organises a pilot meeting in one of its cells for the others), and any it
     * has already, so that saving never drops an observer the viewer could not pick.
     */
    private List<Unit> observerChoices(Context ctx, Unit unit, Meeting meeting) {
        SignIn.Viewer viewer = Pages.viewer(ctx);
        java.util.Set<Long> already = new java.util.HashSet<>(meeting == null ? List.of() : meeting.observerUnitIds());
        return s.units().all().stream()
                .filter(u -> u.id() != unit.id() && (viewer.canSee(u.id()) || already.contains(u.id())))
                .toList();
    }

    /** An observer the form could not have offered is refused, with the field to blame. */
    private void checkObservers(Context ctx, Unit unit, Meeting meeting, Form form) {
        if (form.observers() == null) return;
        java.util.Set<Long> offered = new java.util.HashSet<>(observerChoices(ctx, unit, meeting).stream().map(Unit::id).toList());
        for (Long id : form.observers()) {
            if (!offered.contains(id)) {
                throw new ConveneException.Invalid("observerUnitIds", pages.text(pages.lang(ctx, unit.locale()), "err_observers_offered"));
            }
        }
    }

    private void editor(Context ctx, Unit unit, Meeting meeting, Form form, List<ConveneException.FieldError> errors, int status) {
        editor(ctx, unit, meeting, form, errors, status, Map.of());
    }

    private void editor(Context ctx, Unit unit, Meeting meeting, Form form, List<ConveneException.FieldError> errors, int status,
                        Map<String, Object> extra) {
        String lang = pages.lang(ctx, unit.locale());
        String title = meeting == null ? pages.text(lang, "editor_new_title") : meeting.title();
        Map<String, Object> m = pages.model(ctx, lang, title);
        m.put("unit", unit);
        m.put("meeting", meeting);
        m.put("isNew", meeting == null);
        m.put("action", meeting == null ? "/units/" + unit.id() + "/meetings" : "/meetings/" + meeting.id() + "/edit");
        m.put("form", form);
        m.put("kinds", java.util.Arrays.stream(MeetingKind.values()).map(k -> new Option(k.wire(), pages.text(lang, "kind_" + k.wire()),
                k.wire().equals(form.kind()))).toList());
        List<Option> presets = new ArrayList<>();
        if (meeting != null) presets.add(new Option("keep", pages.text(lang, "preset_keep"), form.preset().equals("keep")));
        PRESETS.keySet().forEach(p -> presets.add(new Option(p, pages.text(lang, "preset_" + p), p.equals(form.preset()))));
        m.put("presets", presets);
        List<AgendaRow> agenda = new ArrayList<>();
        for (int i = 0; i < form.agenda().size(); i++) {
            AgendaItem a = form.agenda().get(i);
            agenda.add(new AgendaRow(i, a.title(), a.presenter() == null ? "" : a.presenter(), a.minutes() == null ? "" : a.minutes().toString()));
        }
        if (agenda.isEmpty()) agenda.add(new AgendaRow(0, "", "", ""));
        m.put("agenda", agenda);
        m.put("slots", slotButtons(unit, meeting, form.duration(), lang));
        java.util.Set<Long> ticked = new java.util.HashSet<>(form.observers() != null ? form.observers()
                : meeting != null ? meeting.observerUnitIds() : List.of());
        List<Option> observers = observerChoices(ctx, unit, meeting).stream()
                .map(u -> new Option(String.valueOf(u.id()), u.name(), ticked.contains(u.id()))).toList();
        m.put("observerChoices", observers);
        m.put("hasObserverChoices", !observers.isEmpty());
        // a refused "this and the following" comes back with that choice still made
        m.put("scopeFollowing", "POST".equals(ctx.method().name()) && "following".equals(ctx.formParam("scope")));
        Map<String, String> fieldErrors = new LinkedHashMap<>();
        for (ConveneException.FieldError e : errors) {
            String field = switch (e.field()) {
                case "startDate", "startTime" -> "startsAt";
                case "lunarDay" -> "repeat";
                // a rule the page made from the date cannot be typed over: its trouble belongs to the choice
                case "rrule" -> form.repeat().equals(Repeat.CUSTOM.wire) ? "rrule" : "repeat";
                default -> e.field().startsWith("agenda") ? "agenda" : e.field();
            };
            String key = "err_" + field;
            // the page's own checks already speak the page's language; a service's field gets the page's text for it
            String text = pages.texts(lang).containsValue(e.message()) ? e.message() : pages.texts(lang).containsKey(key) ? pages.text(lang, key)
                    : Optional.ofNullable(pages.problem(lang, null, e.message(), List.of(e))).orElse(pages.text(lang, "err_other"));
            // the rule's own words (what ical4j could not read) help whoever wrote it
            if (e.field().equals("rrule")) text = text + ": rrule " + e.message();
            fieldErrors.putIfAbsent(field, text);
        }
        m.put("errors", fieldErrors);
        m.put("hasErrors", !fieldErrors.isEmpty());
        if (meeting == null) repeatChoices(m, form, lang);
        if (meeting != null) {
            ZoneId zone = ZoneId.of(meeting.zone());
            m.put("when", Pages.when(meeting, lang));
            m.put("cancelled", meeting.cancelled());
            m.put("canReinstate", meeting.cancelled() && meeting.startsAt().isAfter(s.clock().instant()));
            if (!meeting.cancelled() && ctx.queryParam("confirmCancel") != null) {
                m.put("confirmCancel", true);
                m.put("confirmCancelText", pages.text(lang, "cancel_confirm_question", meeting.title(), Pages.when(meeting, lang)));
                m.put("confirmReason", ctx.queryParam("reason") == null ? "" : ctx.queryParam("reason"));
            }
            List<MaterialRow> materials = s.materials().ofMeeting(meeting.id()).stream().map(x -> row(x, lang)).toList();
            m.put("materials", materials);
            m.put("hasMaterials", !materials.isEmpty());
            List<Reminder> reminders = s.jdbi().withExtension(ReminderDao.class, d -> d.ofMeeting(meeting.id()));
            m.put("reminders", reminders.stream().filter(r -> !r.state().equals(Reminder.CANCELLED))
                    .map(r -> Map.of("when", Pages.dateTime(r.dueAt(), zone, lang), "kind", pages.text(lang, "reminder_" + r.kind()),
                            "state", pages.text(lang, "state_" + r.state()), "missed", r.state().equals(Reminder.MISSED))).toList());
            m.put("hasReminders", reminders.stream().anyMatch(r -> !r.state().equals(Reminder.CANCELLED)));
            m.put("liveUrl", "/meetings/" + meeting.id());
            m.put("attendanceUrl", "/meetings/" + meeting.id() + "/attendance");
            words.addTo(m, s.series(), meeting, lang);
        }
        m.put("maxBytes", s.materials().maxBytes());
        m.put("tooLargeText", pages.text(lang, "upload_too_large", size(s.materials().maxBytes(), lang)));
        m.put("uploadHint", pages.text(lang, "upload_hint", size(s.materials().maxBytes(), lang)));
        m.put("allowedTypes", MaterialTypes.allowedList());
        m.put("saved", ctx.queryParam("saved") != null && !ctx.queryParam("saved").startsWith("series") && !"reinstated".equals(ctx.queryParam("saved")));
        m.put("reinstated", "reinstated".equals(ctx.queryParam("saved")));
        if ("seriesChanged".equals(ctx.queryParam("saved"))) m.put("seriesChanged", pages.text(lang, "series_changed"));
        if ("seriesEnded".equals(ctx.queryParam("saved"))) {
            m.put("seriesEnded", pages.text(lang, "series_ended", ctx.queryParamAsClass("cancelled", Integer.class).getOrDefault(0).toString()));
        }
        if ("series".equals(ctx.queryParam("saved"))) {
            String made = ctx.queryParamAsClass("made", Integer.class).getOrDefault(1).toString();
            m.put("seriesSaved", pages.text(lang, "series_saved", made));
        }
        m.put("uploaded", ctx.queryParam("uploaded") != null);
        m.put("replaced", ctx.queryParam("replaced") != null);
        m.putAll(extra);
        ctx.status(status);
        pages.render(ctx, "editor", m);
    }

    record RepeatOption(String value, String label, String detail, boolean selected) {}

    /**
     * The repeat choices of a new meeting, each with what it means for the chosen date when there is one
     * ("the first Sunday"); the page's script fills that in as the date changes.
     */
    private void repeatChoices(Map<String, Object> m, Form form, String lang) {
        LocalDate day = null;
        try {
            day = LocalDate.parse(form.date());
        } catch (DateTimeParseException e) {
            // no date yet: the choices are shown without their details
        }
        List<RepeatOption> options = new ArrayList<>();
        for (Repeat r : Repeat.values()) {
            String detail = "";
            if (day != null) {
                detail = switch (r) {
                    case WEEKLY -> words.weekday(day.getDayOfWeek(), lang);
                    case MONTHLY -> words.weekdayOfMonth(day, lang);
                    case LUNAR -> VietnameseLunarCalendar.supports(day)
                            ? pages.text(lang, "rule_lunar", VietnameseLunarCalendar.toLunar(day).day()) : "";
                    default -> "";
                };
            }
            options.add(new RepeatOption(r.wire, pages.text(lang, "repeat_" + r.wire), detail, r.wire.equals(form.repeat())));
        }
        m.put("repeats", options);
        m.put("repeating", form.repeats());
        m.put("policies", HOLIDAY_POLICIES.stream().map(p -> new Option(p, pages.text(lang, "policy_" + p), p.equals(form.holidayPolicy()))).toList());
        // what the script needs to name the weekday and its place in the month for any date
        m.put("weekdayNames", String.join(",", SeriesWords.CODES.stream().map(c -> pages.text(lang, "wd_" + c)).toList()));
        m.put("nthTemplates", String.join("|", java.util.stream.Stream.of("1", "2", "3", "4", "last").map(n -> pages.text(lang, "rule_nth_" + n)).toList()));
    }

    /** The first free start of each of the next days, so the choice spans the week. */
    private List<SlotButton> slotButtons(Unit unit, Meeting meeting, int duration, String lang) {
        Instant now = s.clock().instant();
        ZoneId zone = unit.zone();
        List<FreeSlots.Slot> free = slots.find(unit, now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(21)), duration);
        Set<LocalDate> days = new LinkedHashSet<>();
        List<SlotButton> out = new ArrayList<>();
        for (FreeSlots.Slot slot : free) {
            ZonedDateTime local = slot.start().atZone(zone);
            if (meeting != null && slot.start().equals(meeting.startsAt())) continue;
            if (!days.add(local.toLocalDate())) continue;
            out.add(new SlotButton(out.size(), local.toLocalDate().toString(), local.format(DateTimeFormatter.ofPattern("HH:mm")),
                    Pages.shortDateTime(slot.start(), zone, lang), pages.text(lang, "why_" + slot.why())));
            if (out.size() == SLOT_DAYS) break;
        }
        return out;
    }

    private MaterialRow row(Material material, String lang) {
        return new MaterialRow(material.id(), material.filename(), size(material.size(), lang), material.mediaType(), "/materials/" + material.id(),
                material.confidential(), material.version() > 1 ? "v" + material.version() : "",
                s.materials().limits(material).stream().map(org.convene.meeting.MaterialHooks.Warning::message).toList(),
                "/documents/" + material.document() + "/views");
    }

    static String size(long bytes, String lang) {
        return org.convene.delivery.MessageRenderer.humanSize(bytes, lang);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The editor's fields as typed, so a refused form comes back as it was sent. */
    /** @param observers the observer units ticked, or null when the form did not offer the choice (keep them as they are) */
    record Form(String title, String kind, String date, String time, int duration, String location, List<AgendaItem> agenda,
                String preset, String repeat, String rrule, String holidayPolicy, String until, List<Long> observers) {
        static Form empty() {
            return new Form("", "regular", "", "", 120, "", List.of(), "standard", Repeat.NONE.wire, "", "allow", "", null);
        }

        boolean repeats() {
            return !repeat.equals(Repeat.NONE.wire);
        }

        static Form of(Meeting m) {
            ZonedDateTime local = m.localStart();
            return new Form(m.title(), m.kind().wire(), local.toLocalDate().toString(), local.format(DateTimeFormatter.ofPattern("HH:mm")),
                    m.durationMinutes(), m.location() == null ? "" : m.location(), m.agenda(), "keep", Repeat.NONE.wire, "", "allow", "",
                    m.observerUnitIds());
        }

        static Form read(Context ctx) {
            List<String> titles = ctx.formParams("agenda_title");
            List<String> presenters = ctx.formParams("agenda_presenter");
            List<String> minutes = ctx.formParams("agenda_minutes");
            List<AgendaItem> agenda = new ArrayList<>();
            for (int i = 0; i < titles.size(); i++) {
                String presenter = i < presenters.size() ? presenters.get(i) : "";
                String min = i < minutes.size() ? minutes.get(i).strip() : "";
                if (titles.get(i).isBlank() && presenter.isBlank() && min.isEmpty()) continue; // an empty row left by "add"
                Integer parsed = null;
                try {
                    parsed = min.isEmpty() ? null : Integer.valueOf(min);
                } catch (NumberFormatException e) {
                    parsed = -1;
                }
                agenda.add(new AgendaItem(titles.get(i), presenter.isBlank() ? null : presenter, parsed));
            }
            int duration;
            try {
                duration = Integer.parseInt(nz(ctx.formParam("duration")).strip());
            } catch (NumberFormatException e) {
                duration = -1;
            }
            String preset = nz(ctx.formParam("reminders"));
            List<Long> observers = null;
            if (ctx.formParam("observers_shown") != null) {
                observers = new ArrayList<>();
                for (String id : ctx.formParams("observer")) {
                    try {
                        observers.add(Long.parseLong(id.strip()));
                    } catch (NumberFormatException e) {
                        throw new ConveneException.Invalid("observerUnitIds", "is not a unit id: " + id);
                    }
                }
            }
            return new Form(nz(ctx.formParam("title")), nz(ctx.formParam("kind")), nz(ctx.formParam("date")).strip(),
                    nz(ctx.formParam("time")).strip(), duration, nz(ctx.formParam("location")), agenda, preset.isEmpty() ? "keep" : preset,
                    ctx.formParam("repeat") == null ? Repeat.NONE.wire : ctx.formParam("repeat"), nz(ctx.formParam("rrule")).strip(),
                    ctx.formParam("holidayPolicy") == null ? "allow" : ctx.formParam("holidayPolicy"), nz(ctx.formParam("until")).strip(),
                    observers);
        }

        /** @param before the meeting as it is, when editing: an unchanged date and time is not sent, so a past meeting stays editable */
        Requests.MeetingRequest request(Long unitId, Form before) {
            List<Requests.ReminderRequest> plan = plan();
            if (date.isEmpty() || time.isEmpty()) throw new ConveneException.Invalid("startsAt", "is required");
            boolean sameTime = before != null && before.date().equals(date) && before.time().equals(time);
            return new Requests.MeetingRequest(unitId, title, kind.isEmpty() ? null : kind, sameTime ? null : date + "T" + time, duration,
                    location, agenda, plan, observers);
        }

        /** The preset's reminders, or null to keep them (or, for something new, the default plan). */
        List<Requests.ReminderRequest> plan() {
            return PRESETS.containsKey(preset)
                    ? PRESETS.get(preset).stream().map(p -> p.split(" ")).map(p -> new Requests.ReminderRequest(p[0], p[1])).toList()
                    : null;
        }

        /**
         * The series this form asks for: the rule made from the chosen date (or typed), the end date as the
         * rule's UNTIL. Problems only the page can see (a start in the past, an end before it) go to
         * {@code errors} with their texts; the series service checks the rest.
         */
        SeriesRequest seriesRequest(long unitId, ZoneId zone, Instant now, List<ConveneException.FieldError> errors, Pages pages, String lang) {
            LocalDate day = null;
            LocalTime at = null;
            try {
                day = LocalDate.parse(date);
                at = LocalTime.parse(time);
            } catch (DateTimeParseException e) {
                errors.add(new ConveneException.FieldError("startsAt", "is required"));
            }
            if (day != null && at != null && !ZonedDateTime.of(day, at, zone).toInstant().isAfter(now)) {
                errors.add(new ConveneException.FieldError("startsAt", "is in the past"));
            }
            LocalDate last = null;
            if (!until.isEmpty()) {
                try {
                    last = LocalDate.parse(until);
                    if (day != null && last.isBefore(day)) errors.add(new ConveneException.FieldError("until", pages.text(lang, "err_until_before")));
                } catch (DateTimeParseException e) {
                    errors.add(new ConveneException.FieldError("until", pages.text(lang, "err_until_before")));
                }
            }
            Repeat how = Repeat.of(repeat).orElse(null);
            if (how == null) errors.add(new ConveneException.FieldError("repeat", pages.text(lang, "err_repeat")));
            String rule = null;
            Integer lunarDay = null;
            String untilPart = last == null ? "" : ";UNTIL=" + last.format(DateTimeFormatter.BASIC_ISO_DATE);
            if (how == Repeat.CUSTOM) {
                Map<String, String> parts = SeriesWords.parts(rrule);
                if (last != null && (parts.containsKey("UNTIL") || parts.containsKey("COUNT"))) {
                    errors.add(new ConveneException.FieldError("until", pages.text(lang, "err_until_rule")));
                    untilPart = "";
                }
                rule = rrule.isEmpty() ? null : rrule + untilPart;
            } else if (how != null && day != null) {
                switch (how) {
                    case WEEKLY -> rule = "FREQ=WEEKLY;BYDAY=" + SeriesWords.code(day.getDayOfWeek()) + untilPart;
                    case MONTHLY -> rule = "FREQ=MONTHLY;BYDAY=" + SeriesWords.weekOfMonth(day) + SeriesWords.code(day.getDayOfWeek()) + untilPart;
                    case LUNAR -> {
                        if (VietnameseLunarCalendar.supports(day)) lunarDay = VietnameseLunarCalendar.toLunar(day).day();
                        else errors.add(new ConveneException.FieldError("repeat", pages.text(lang, "err_lunar_range")));
                        rule = untilPart.isEmpty() ? null : "FREQ=MONTHLY" + untilPart;
                    }
                    default -> { }
                }
            }
            return new SeriesRequest(unitId, title, kind.isEmpty() ? null : kind, rule, lunarDay, day == null ? null : day.toString(),
                    at == null ? null : time, duration, holidayPolicy, plan(), agenda, location, null);
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }
}
