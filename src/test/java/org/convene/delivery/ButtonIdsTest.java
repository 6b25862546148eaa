package org.convene.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ButtonIdsTest {
    final ButtonIds ids = new ButtonIds("the service's own secret key....".getBytes(StandardCharsets.UTF_8));

    @Test
    void an_id_round_trips_and_fits_telegrams_64_bytes() {
        String id = ids.of(ButtonIds.Action.TRAVEL, 9_007_199_254_740_991L);
        assertThat(id.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        assertThat(ids.parse(id)).contains(new ButtonIds.Parsed(9_007_199_254_740_991L, ButtonIds.Action.TRAVEL));
        assertThat(ids.parse(id).orElseThrow().action().reasonCode()).isEqualTo("travel");
    }

    @Test
    void an_id_pointed_at_another_meeting_or_action_is_refused() {
        String id = ids.of(ButtonIds.Action.COMING, 42);
        String tag = id.substring(id.lastIndexOf(':') + 1);
        assertThat(ids.parse("r:43:y:" + tag)).isEmpty();
        assertThat(ids.parse("r:42:n:" + tag)).isEmpty();
        assertThat(ids.parse("r:42:y")).isEmpty();
        assertThat(ids.parse("r:42:y:" + tag + "x")).isEmpty();
    }

    @Test
    void another_services_key_makes_other_tags() {
        ButtonIds other = new ButtonIds("another service's secret key...".getBytes(StandardCharsets.UTF_8));
        assertThat(other.parse(ids.of(ButtonIds.Action.RECEIVED, 1))).isEmpty();
    }
}
