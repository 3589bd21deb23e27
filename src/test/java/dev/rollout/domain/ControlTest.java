package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ControlTest {
    private static final Instant AT = Instant.parse("2026-11-29T10:07:00Z");

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a name and a reason are recorded", "dana", "checkout errors", Optional.empty()),
                Arguments.of("a missing name is refused", "", "checkout errors",
                        Optional.of("Give your name: the rollout's history records who ended it early.")),
                Arguments.of("a name of blanks and line breaks is no name", " \n\t ", "checkout errors",
                        Optional.of("Give your name: the rollout's history records who ended it early.")),
                Arguments.of("a missing reason is refused", "dana", null,
                        Optional.of("Give a reason: the rollout's history and its notice say why it was ended early.")),
                Arguments.of("a name over 100 characters is refused", "d".repeat(101), "why",
                        Optional.of("The name is longer than 100 characters.")),
                Arguments.of("a reason over 2000 characters is refused", "dana", "w".repeat(2001),
                        Optional.of("The reason is longer than 2000 characters.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whoAndWhyAreBothRequiredAndBounded(String title, String by, String reason, Optional<String> refusal) {
        assertEquals(refusal, Control.refusal(by, reason));
    }

    @Test
    void aControlThatCannotBeRecordedCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new Control(Control.Kind.ABORT, "dana", " ", AT));
    }

    @Test
    void anAbortsCauseSaysWhoWhenAndWhy() {
        Control abort = new Control(Control.Kind.ABORT, " dana\n", " checkout errors ", AT);
        assertEquals("aborted by dana at 2026-11-29T10:07:00Z: checkout errors", abort.abortCause());
        assertEquals("Rollout.Aborted", Control.ABORTED_ERROR);
    }

    @Test
    void aPromoteNowAnswersTheWaitWithTheResultTheStateMachineRoutesToPromotion() throws Exception {
        Control promote = new Control(Control.Kind.PROMOTE, "dana", "hotfix", AT);
        JsonNode output = new ObjectMapper().readTree(promote.taskOutput());
        assertEquals("promote", output.path("control").asText());
        assertEquals("dana", output.path("by").asText());
        assertEquals("hotfix", output.path("reason").asText());
        assertEquals("2026-11-29T10:07:00Z", output.path("at").asText());
        assertEquals("promoted now by dana at 2026-11-29T10:07:00Z", promote.describe());
    }

    @Test
    void linksFormsAndTheCommandNameTheControlsAbortAndPromote() {
        assertEquals(Optional.of(Control.Kind.ABORT), Control.Kind.parse("abort"));
        assertEquals(Optional.of(Control.Kind.PROMOTE), Control.Kind.parse("promote"));
        assertEquals(Optional.empty(), Control.Kind.parse("stop"));
        assertEquals(Optional.empty(), Control.Kind.parse(null));
        assertEquals("https://abc.example/v1/controls/" + "A".repeat(43) + "?action=promote",
                new ApprovalLinks("https://abc.example/v1/").control(new Reference("A".repeat(43)),
                        Control.Kind.PROMOTE));
    }
}
