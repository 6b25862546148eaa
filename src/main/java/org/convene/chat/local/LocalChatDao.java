package org.convene.chat.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The local chats' messages, stored the way a chat server would keep them. */
final class LocalChatDao {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;

    LocalChatDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    long insert(String chatId, String from, String fromName, String text, List<List<LocalMessage.LocalButton>> buttons,
                LocalMessage.LocalDocument document, List<String> mentions, Long replyTo, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO local_messages (chat_id, from_user, from_name, text, buttons, document, mentions, reply_to, sent_at)
                        VALUES (:chat, :from, :fromName, :text, :buttons, :document, :mentions, :replyTo, :now)""")
                .bind("chat", chatId).bind("from", from).bind("fromName", fromName).bind("text", text)
                .bind("buttons", write(buttons)).bind("document", document == null ? null : write(document))
                .bind("mentions", write(mentions)).bind("replyTo", replyTo).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    int deleteBefore(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM local_messages WHERE sent_at < :cutoff").bind("cutoff", cutoff).execute());
    }

    boolean edit(String chatId, long messageId, String text, List<List<LocalMessage.LocalButton>> buttons, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE local_messages SET text = :text, buttons = :buttons, edited_at = :now, edit_count = edit_count + 1
                        WHERE chat_id = :chat AND id = :id""")
                .bind("text", text).bind("buttons", write(buttons)).bind("now", now)
                .bind("chat", chatId).bind("id", messageId).execute()) == 1;
    }

    List<LocalMessage> ofChat(String chatId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM local_messages WHERE chat_id = :chat ORDER BY id")
                .bind("chat", chatId).map((rs, ctx) -> row(rs)).list());
    }

    Optional<LocalMessage> find(String chatId, long messageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM local_messages WHERE chat_id = :chat AND id = :id")
                .bind("chat", chatId).bind("id", messageId).map((rs, ctx) -> row(rs)).findOne());
    }

    private static LocalMessage row(java.sql.ResultSet rs) throws java.sql.SQLException {
        long edited = rs.getLong("edited_at");
        boolean notEdited = rs.wasNull();
        Object replyTo = rs.getObject("reply_to");
        return new LocalMessage(rs.getLong("id"), rs.getString("chat_id"), rs.getString("from_user"), rs.getString("from_name"),
                rs.getString("text"),
                read(rs.getString("buttons"), new TypeReference<List<List<LocalMessage.LocalButton>>>() {}, List.of()),
                read(rs.getString("document"), new TypeReference<LocalMessage.LocalDocument>() {}, null),
                read(rs.getString("mentions"), new TypeReference<List<String>>() {}, List.of()),
                replyTo == null ? null : ((Number) replyTo).longValue(),
                Instant.ofEpochMilli(rs.getLong("sent_at")), notEdited ? null : Instant.ofEpochMilli(edited), rs.getInt("edit_count"));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type, T fallback) {
        if (json == null) return fallback;
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable local message column: " + json, e);
        }
    }
}
