package dev.rollout.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollout.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One naming style for test methods across every module: the method name is the sentence the test proves, in
 * lowerCamelCase ({@code aShiftAfterSomeoneElseChangedTheAliasStopsAndChangesNothing}), with no underscores and no
 * {@code @DisplayName} or {@code @DisplayNameGeneration} restating it. Parameterized cases keep their sentence in
 * {@code @ParameterizedTest(name = ...)}.
 */
class TestNamesTest {
    private static final Pattern TEST_METHOD = Pattern.compile(
            "@(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\\b(?:\\((?:[^()\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\))?"
                    + "(?:\\s*@\\w+(?:\\((?:[^()\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\))?)*"
                    + "\\s*(?:(?:public|protected|private|static|final)\\s+)*[\\w<>\\[\\],.? ]+?\\s+(\\w+)\\s*\\(");
    private static final Pattern SENTENCE = Pattern.compile("[a-z][a-z0-9]*(?:[A-Z0-9][a-z0-9]*)*");
    private static final Pattern RESTATED = Pattern.compile("@(?:DisplayName|DisplayNameGeneration)\\b");
    /** What is not code: text blocks and comments (this class's own samples and Javadoc among them). */
    private static final Pattern NOT_CODE = Pattern.compile("\"\"\"[\\s\\S]*?\"\"\"|/\\*[\\s\\S]*?\\*/|//[^\n]*");

    @Test
    void everyTestMethodIsNamedAsALowerCamelCaseSentenceWithoutADisplayName() throws IOException {
        Path root = ProjectRoot.path();
        List<String> offences = new ArrayList<>();
        int methods = 0;
        for (Path source : testSources(root)) {
            String text = NOT_CODE.matcher(Files.readString(source)).replaceAll("");
            String where = root.relativize(source).toString();
            Matcher restated = RESTATED.matcher(text);
            while (restated.find()) {
                offences.add(where + ": " + restated.group() + " (the method name is the sentence)");
            }
            for (String name : testMethodNames(text)) {
                methods++;
                if (!SENTENCE.matcher(name).matches()) {
                    offences.add(where + ": " + name + " (a lowerCamelCase sentence, without underscores)");
                }
            }
        }
        assertTrue(methods > 400, "found only " + methods + " test methods: the scan no longer finds them");
        assertEquals(List.of(), offences);
    }

    @Test
    void theScanFindsTestMethodsWhateverTheirAnnotationsAndReturnType() {
        String source = """
                @Test
                void a_snake_case_name() {}
                @ParameterizedTest(name = "a {0} (quoted) case")
                @ValueSource(ints = {1, 2})
                void aParameterizedCase(int value) {}
                @TestFactory
                Stream<DynamicTest> everyModule() {}
                @Test @DisplayName("restated") void short1() {}
                void notATest() {}
                """;
        assertEquals(List.of("a_snake_case_name", "aParameterizedCase", "everyModule", "short1"),
                testMethodNames(source));
        assertTrue(RESTATED.matcher(source).find());
        assertTrue(SENTENCE.matcher("aYearCostsNoWallTime").matches());
        assertTrue(!SENTENCE.matcher("a_snake_case_name").matches() && !SENTENCE.matcher("Capitalised").matches());
    }

    private static List<String> testMethodNames(String source) {
        List<String> names = new ArrayList<>();
        Matcher method = TEST_METHOD.matcher(source);
        while (method.find()) {
            names.add(method.group(1));
        }
        return names;
    }

    /** Every module's test sources: {@code src/test/java}, {@code local/src/test/java}, {@code functions/x/src/test/java}. */
    private static List<Path> testSources(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> root.relativize(path).toString().replace('\\', '/').matches(
                            "(?:local/|functions/[^/]+/)?src/test/java/.*"))
                    .sorted()
                    .toList();
        }
    }
}
