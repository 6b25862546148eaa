package org.convene.response;

/** What a member said about a meeting: received the papers, will come, or cannot come (with a reason). */
public sealed interface Answer {
    record Received() implements Answer {}

    record Coming() implements Answer {}

    record Absent(String reasonCode, String reason) implements Answer {}

    /** Where an answer came from. */
    enum Source {
        BUTTON, TEXT, SECRETARY;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
