package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.domain.Restoration.Action;
import dev.rollout.domain.Routing.Position;

class RestorationTest {

    static Stream<Arguments> endings() {
        return Stream.of(
                Arguments.of("a rollback the state machine finished and reported needs nothing more",
                        Optional.of("RolledBack"), true, Optional.of(Position.AT_START), false, Action.ALREADY_HANDLED),
                Arguments.of("a refusal the state machine reported needs nothing more",
                        Optional.of("Refused"), false, Optional.empty(), false, Action.ALREADY_HANDLED),
                Arguments.of("a rollback that failed with the alias split is restored",
                        Optional.of("RollbackFailed"), true, Optional.of(Position.SHIFTING), false, Action.RESTORE),
                Arguments.of("a stop at thirty percent is restored",
                        Optional.empty(), true, Optional.of(Position.SHIFTING), false, Action.RESTORE),
                Arguments.of("a stop after promotion but before success is restored, as Rollback would",
                        Optional.empty(), true, Optional.of(Position.AT_TARGET), false, Action.RESTORE),
                Arguments.of("a stop before the first shift finds the alias whole",
                        Optional.empty(), true, Optional.of(Position.AT_START), false, Action.ALREADY_WHOLE),
                Arguments.of("an alias someone else routed is left as they set it",
                        Optional.empty(), true, Optional.of(Position.FOREIGN), false, Action.LEAVE_FOREIGN),
                Arguments.of("a stop before Prepare recorded the starting version moved nothing",
                        Optional.empty(), false, Optional.empty(), false, Action.NOTHING_MOVED),
                Arguments.of("an alias another running rollout claimed since is theirs and left alone",
                        Optional.empty(), true, Optional.of(Position.AT_TARGET), true, Action.HELD_BY_ANOTHER),
                Arguments.of("a claim by another rollout does not hide that the state machine reported its ending",
                        Optional.of("RolledBack"), true, Optional.of(Position.AT_START), true, Action.ALREADY_HANDLED),
                Arguments.of("an alias deleted meanwhile leaves nothing to route",
                        Optional.empty(), true, Optional.empty(), false, Action.NOTHING_MOVED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endings")
    void decidesWhatAnEndingLeavesToDo(String sentence, Optional<String> endState, boolean prepared,
                                       Optional<Position> position, boolean heldByAnother, Action expected) {
        assertEquals(expected, Restoration.decide(endState, prepared, position, heldByAnother));
    }
}
