package org.convene.web;

import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} for load balancers and the launcher, {@code /metrics} for Prometheus. */
final class HealthRoutes {
    private final ApiServices s;

    HealthRoutes(ApiServices services) {
        this.s = services;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/health", ctx -> {
            boolean db = s.databaseHealthy().getAsBoolean();
            boolean scheduler = s.schedulerHealthy().getAsBoolean();
            Map<String, String> body = new LinkedHashMap<>();
            body.put("status", db && scheduler ? "ok" : "degraded");
            body.put("database", db ? "ok" : "down");
            body.put("scheduler", scheduler ? "ok" : "down");
            ctx.status(db && scheduler ? 200 : 503).json(body);
        });
        cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(s.metrics().scrape()));
    }
}
