package org.convene.web;

import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} for load balancers and the launcher, {@code /metrics} for Prometheus, and for the admin
 * {@code /api/v1/cluster}: which node this is and which node does the one-at-a-time work.
 */
final class HealthRoutes {
    private static final String HEALTHY = "{\"status\":\"ok\",\"database\":\"ok\",\"scheduler\":\"ok\"}";
    private final ApiServices s;

    HealthRoutes(ApiServices services) {
        this.s = services;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/health", ctx -> {
            boolean db = s.databaseHealthy().getAsBoolean();
            boolean scheduler = s.schedulerHealthy().getAsBoolean();
            // what a platform tells about itself (a Zalo refresh token's age, a Zalo bot's groups), only where it tells something
            Map<String, Object> platforms = new LinkedHashMap<>();
            for (String name : s.platforms().names()) {
                Map<String, Object> health = s.platforms().get(name).orElseThrow().health();
                if (!health.isEmpty()) platforms.put(name, health);
            }
            if (db && scheduler && platforms.isEmpty()) {
                // the common answer made once: this is the server's cheapest request, and it should cost no JSON writing
                ctx.status(200).contentType("application/json").result(HEALTHY);
                return;
            }
            // a platform that cannot be reached leaves the service up (answers wait in the outbox) but not well
            boolean platformsOk = platforms.values().stream().noneMatch(h -> h instanceof Map<?, ?> m && "degraded".equals(m.get("status")));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", db && scheduler && platformsOk ? "ok" : "degraded");
            body.put("database", db ? "ok" : "down");
            body.put("scheduler", scheduler ? "ok" : "down");
            if (!platforms.isEmpty()) body.put("platforms", platforms);
            ctx.status(db && scheduler ? 200 : 503).json(body);
        });
        cfg.routes.get("/api/v1/cluster", ctx -> {
            if (WebServer.principal(ctx).kind() != Principal.Kind.ADMIN) throw ApiError.forbidden("only the admin sees the nodes");
            String me = s.leases().node();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("node", me);
            body.put("sharedDatabase", !s.leases().soleNode());
            body.put("leases", s.leases().held().stream().map(h -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", h.name());
                row.put("holder", h.holder());
                row.put("thisNode", h.holder().equals(me));
                row.put("expiresAt", h.expiresAt().toString());
                return row;
            }).toList());
            ctx.json(body);
        });
        cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(s.metrics().scrape()));
    }
}
