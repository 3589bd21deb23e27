package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a rollout's whole percents map onto two Route 53 weights, and how the weights read back. */
class RecordWeightsTest {

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of("a first canary step of 1% weighs 99 against 1", 1, 99, 1),
                Arguments.of("a 10% step weighs 90 against 10", 10, 90, 10),
                Arguments.of("an even split weighs 50 against 50", 50, 50, 50),
                Arguments.of("a last linear step of 90% weighs 10 against 90", 90, 10, 90),
                Arguments.of("the largest step a plan may take, 99%, weighs 1 against 99", 99, 1, 99));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void everyStepMapsOntoWeightsWhoseShareIsExactlyItsPercent(String sentence, int percent, long from, long to) {
        RecordWeights weights = RecordWeights.step(Weight.percent(percent));
        assertEquals(new RecordWeights(from, to), weights);
        assertEquals(Weight.percent(percent), weights.share());
    }

    @ParameterizedTest(name = "a step of {0}% routes exactly {0}% to the new record set")
    @ValueSource(ints = {1, 2, 3, 7, 10, 13, 20, 25, 33, 49, 50, 51, 66, 75, 80, 90, 97, 98, 99})
    void noWholePercentIsRounded(int percent) {
        RecordWeights weights = RecordWeights.step(Weight.percent(percent));
        assertEquals(100, weights.from() + weights.to());
        assertEquals(percent, 100.0 * weights.to() / (weights.from() + weights.to()));
    }

    static Stream<Arguments> promotions() {
        return Stream.of(
                Arguments.of("records that started at 100 and 0 end at 0 and 100", 100, 0, 0, 100),
                Arguments.of("records that started at 255 and 0 end at 0 and 255", 255, 0, 0, 255),
                Arguments.of("records that started at 1 and 0 end at 0 and 1", 1, 0, 0, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("promotions")
    void promotionMirrorsTheStartingWeights(String sentence, long from, long to, long promotedFrom, long promotedTo) {
        RecordWeights promoted = new RecordWeights(from, to).promoted();
        assertEquals(new RecordWeights(promotedFrom, promotedTo), promoted);
        assertEquals(Weight.ALL, promoted.share());
    }

    static Stream<Arguments> readings() {
        return Stream.of(
                Arguments.of("only the starting record weighing is all on the starting record set", 255, 0,
                        "record set eu-west-1 100%"),
                Arguments.of("only the new record weighing is all on the new record set", 0, 7,
                        "record set us-east-1 100%"),
                Arguments.of("two weights split by their share", 90, 10,
                        "record set eu-west-1 90%, record set us-east-1 10%"),
                Arguments.of("weights set by hand read as their share, rounded to a whole percent", 200, 55,
                        "record set eu-west-1 78%, record set us-east-1 22%"),
                Arguments.of("two zero weights split evenly, as Route 53 answers with each record set equally", 0, 0,
                        "record set eu-west-1 50%, record set us-east-1 50%"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readings")
    void weightsReadAsWhereQueriesGo(String sentence, long from, long to, String routing) {
        assertEquals(routing, new RecordWeights(from, to).routing("eu-west-1", "us-east-1", "r").describe());
    }

    static Stream<Arguments> positions() {
        return Stream.of(
                Arguments.of("the starting weights are the start of the rollout", 100, 0, Routing.Position.AT_START),
                Arguments.of("a step's weights are a shift under way", 90, 10, Routing.Position.SHIFTING),
                Arguments.of("the promoted weights are its target", 0, 100, Routing.Position.AT_TARGET),
                Arguments.of("two zero weights are a split, not a start", 0, 0, Routing.Position.SHIFTING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positions")
    void weightsPlaceTheRecordsInTheRollout(String sentence, long from, long to, Routing.Position position) {
        assertEquals(position, new RecordWeights(from, to).routing("eu-west-1", "us-east-1", "r")
                .positionIn("eu-west-1", "us-east-1"));
    }

    @ParameterizedTest(name = "a weight of {0} is refused: Route 53 takes 0 to 255")
    @ValueSource(longs = {-1, 256, 1000})
    void weightsOutsideRoute53sRangeAreRefused(long weight) {
        assertThrows(IllegalArgumentException.class, () -> new RecordWeights(weight, 0));
        assertThrows(IllegalArgumentException.class, () -> new RecordWeights(0, weight));
    }
}
