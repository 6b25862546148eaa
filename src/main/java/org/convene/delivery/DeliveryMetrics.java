package org.convene.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;

/** What the dispatcher tells Prometheus: lateness of each message against its due instant, retries by reason, whether it sends. */
public final class DeliveryMetrics {
    private final MeterRegistry registry;
    private final Timer lag;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lag = Timer.builder("convene_reminder_lag")
                .description("From a message's due instant to its send (zero when sent early by pre-roll)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    public static DeliveryMetrics none() {
        return new DeliveryMetrics(new SimpleMeterRegistry());
    }

    void sent(Delivery delivery, Instant at) {
        Duration late = Duration.between(delivery.dueAt(), at);
        lag.record(late.isNegative() ? Duration.ZERO : late);
    }

    /** 1 while this node is the one that sends (of several nodes on one database, exactly one should be). */
    void sending(java.util.function.BooleanSupplier sending) {
        io.micrometer.core.instrument.Gauge.builder("convene_dispatcher_sending", () -> sending.getAsBoolean() ? 1 : 0)
                .description("1 while this node holds the dispatcher's lease and sends; 0 while it stands by")
                .register(registry);
    }

    void retried(String reason) {
        Counter.builder("convene_delivery_retries").tag("reason", reason)
                .description("Sends tried again: rate_limit (the platform's retry-after) or transient (network, 5xx)")
                .register(registry).increment();
    }
}
