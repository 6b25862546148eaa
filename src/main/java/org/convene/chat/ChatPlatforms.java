package org.convene.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The enabled platforms by name. Adding a platform is one {@link #add} in the wiring. */
public final class ChatPlatforms {
    private final Map<String, ChatPlatform> byName = new LinkedHashMap<>();

    public ChatPlatforms add(ChatPlatform platform) {
        byName.put(platform.name(), platform);
        return this;
    }

    public Optional<ChatPlatform> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
