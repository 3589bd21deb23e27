package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormUrlEncodingTest {

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("no text has no fields", null, Map.of()),
                Arguments.of("empty text has no fields", "", Map.of()),
                Arguments.of("plus and percent escapes are decoded", "name=Ana+Lima&comment=ok%21%20%C3%A9",
                        Map.of("name", List.of("Ana Lima"), "comment", List.of("ok! é"))),
                Arguments.of("a name without a value has an empty value", "approve&x=", Map.of("approve", List.of(""),
                        "x", List.of(""))),
                Arguments.of("a name sent twice keeps both values in order", "a=1&b=2&a=3",
                        Map.of("a", List.of("1", "3"), "b", List.of("2"))),
                Arguments.of("empty pairs between ampersands are skipped", "&&a=1&", Map.of("a", List.of("1"))),
                Arguments.of("an equals sign in a value stays in the value", "a=b%3Dc=d", Map.of("a", List.of("b=c=d"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void decodesFormText(String sentence, String text, Map<String, List<String>> fields) {
        assertEquals(fields, FormUrlEncoding.decode(text));
        assertEquals(fields, FormUrlEncoding.decodeLeniently(text));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a percent sign without two hex digits is kept as written when lenient", "a=50%&b=%zz",
                        Map.of("a", List.of("50%"), "b", List.of("%zz"))),
                Arguments.of("a malformed name is kept as written when lenient", "%g=1", Map.of("%g", List.of("1"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedEscapesAreRefusedOrKeptAsWritten(String sentence, String text, Map<String, List<String>> lenient) {
        assertThrows(IllegalArgumentException.class, () -> FormUrlEncoding.decode(text));
        assertEquals(lenient, FormUrlEncoding.decodeLeniently(text));
    }

    static Stream<Arguments> forms() {
        return Stream.of(
                Arguments.of("fields are joined in order with spaces and symbols escaped",
                        new String[] {"action", "approve", "name", "Ana Lima", "comment", "ok & done"},
                        "action=approve&name=Ana+Lima&comment=ok+%26+done"),
                Arguments.of("no fields make empty text", new String[] {}, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void encodesFieldsAndReadsThemBack(String sentence, String[] pairs, String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        assertEquals(text, FormUrlEncoding.encode(fields));
        Map<String, String> back = new LinkedHashMap<>();
        FormUrlEncoding.decode(text).forEach((name, values) -> back.put(name, values.get(0)));
        assertEquals(fields, back);
    }
}
