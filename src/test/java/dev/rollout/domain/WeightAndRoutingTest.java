package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WeightAndRoutingTest {

    static Stream<Arguments> fractions() {
        return Stream.of(
                Arguments.of("a tenth reads as 10%", 0.1, 10),
                Arguments.of("binary noise in the stored double is rounded away", 0.07000000000000001, 7),
                Arguments.of("no weight reads as 0%", 0.0, 0),
                Arguments.of("the largest alias weight Lambda accepts reads as 100% rounded", 0.999, 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fractions")
    void readsAliasFractionsAsWholePercents(String sentence, double fraction, int percent) {
        assertEquals(percent, Weight.ofFraction(fraction).percent());
    }

    @Test
    void aWeightOutsideZeroToHundredIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Weight.percent(101));
        assertThrows(IllegalArgumentException.class, () -> Weight.percent(-1));
    }

    static Stream<Arguments> positions() {
        return Stream.of(
                Arguments.of("an alias on the starting version alone is at the start",
                        Routing.ofAlias("3", Map.of(), "r"), Routing.Position.AT_START),
                Arguments.of("an alias split between start and target is shifting",
                        Routing.ofAlias("3", Map.of("4", 0.2), "r"), Routing.Position.SHIFTING),
                Arguments.of("an alias on the target alone is at the target",
                        Routing.ofAlias("4", Map.of(), "r"), Routing.Position.AT_TARGET),
                Arguments.of("an alias split towards a third version is foreign",
                        Routing.ofAlias("3", Map.of("5", 0.2), "r"), Routing.Position.FOREIGN),
                Arguments.of("an alias split the other way round is foreign",
                        Routing.ofAlias("4", Map.of("3", 0.2), "r"), Routing.Position.FOREIGN),
                Arguments.of("an alias on a third version is foreign",
                        Routing.ofAlias("9", Map.of(), "r"), Routing.Position.FOREIGN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positions")
    void placesAnAliasInARolloutFromThreeToFour(String sentence, Routing routing, Routing.Position position) {
        assertEquals(position, routing.positionIn("3", "4"));
    }

    @Test
    void describesTheSplitAsPeopleReadIt() {
        assertEquals("version 3 80%, version 4 20%", Routing.ofAlias("3", Map.of("4", 0.2), "r").describe());
        assertEquals("version 3 100%", Routing.ofAlias("3", Map.of(), "r").describe());
    }
}
