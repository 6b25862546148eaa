package org.convene.delivery;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.convene.chat.Button;
import org.convene.chat.ChatUser;

/** What a delivery sends, stored as JSON in the outbox row: rendered when the reminder fired. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Payload.Text.class, name = "text"),
               @JsonSubTypes.Type(value = Payload.Document.class, name = "document"),
               @JsonSubTypes.Type(value = Payload.Tally.class, name = "tally")})
public sealed interface Payload {
    ObjectMapper JSON = new ObjectMapper();

    record Text(String text, List<List<Button>> buttons, List<ChatUser> mentions) implements Payload {}

    record Document(long materialId, String caption) implements Payload {}

    /** An edit of the posted agenda to show the current tally; the text is made when the edit is sent. */
    record Tally(long meetingId, String agendaMessageId) implements Payload {}

    default String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Payload fromJson(String json) {
        try {
            return JSON.readValue(json, Payload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable delivery payload: " + json, e);
        }
    }
}
