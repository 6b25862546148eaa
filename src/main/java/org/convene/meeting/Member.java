package org.convene.meeting;

import java.util.Map;

/** A person as a member of one unit, with the chat accounts linked to them (platform → user id). */
public record Member(long id, long unitId, String name, Role role, String phone, Map<String, String> accounts) {
    public Member {
        accounts = Map.copyOf(accounts);
    }

    public boolean linked() {
        return !accounts.isEmpty();
    }
}
