package dev.rollout.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.ProjectRoot;
import dev.rollout.local.CloudFormationYaml;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sam build} as SAM's Maven builder runs it: for each distinct {@code CodeUri} of template.yaml, copy the
 * folder alone, run {@code mvn clean install} and {@code mvn dependency:copy-dependencies -DincludeScope=runtime}
 * there, on a PATH without the tools only the project's own tests use (moto, chromium, cfn-lint, Python, Node).
 * What that builds is what Lambda runs: it must hold no local-runtime class and no local-only jar.
 */
class ModuleBuildTest {
    /** Tools a user's sam build must not need. */
    private static final Pattern TEST_ONLY_TOOL =
            Pattern.compile("chromium.*|chromedriver|cfn-lint|moto_server|python.*|pip.*|node|npm|npx");
    /** Jars only the local runtime or the tests use; none may reach a function's package. */
    private static final Pattern LOCAL_ONLY_JAR =
            // YAML is no longer local only: Prepare reads CodeDeploy AppSpecs written in YAML.
            Pattern.compile("(jsonata|selenium|junit|opentest4j|iam|rollout-local)-.*");

    @TempDir
    static Path scratch;
    private static Path toolsOnly;

    @BeforeAll
    static void pathWithoutTestTools() throws IOException {
        toolsOnly = Files.createDirectories(scratch.resolve("path"));
        for (String entry : System.getenv("PATH").split(File.pathSeparator)) {
            Path dir = Path.of(entry);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> tools = Files.list(dir)) {
                for (Path tool : tools.toList()) {
                    String name = tool.getFileName().toString();
                    Path link = toolsOnly.resolve(name);
                    if (!TEST_ONLY_TOOL.matcher(name).matches() && Files.isExecutable(tool) && !Files.exists(link)) {
                        Files.createSymbolicLink(link, tool.toAbsolutePath());
                    }
                }
            }
        }
    }

    @TestFactory
    List<DynamicTest> everyCodeUriBuildsAloneAsSamBuildsIt() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Set<String>> codeUri : handlersByCodeUri().entrySet()) {
            tests.add(DynamicTest.dynamicTest(codeUri.getKey(), () -> buildsAlone(codeUri.getKey(), codeUri.getValue())));
        }
        return tests;
    }

    @Test
    void thePathOfTheseBuildsLacksTheTestOnlyTools() {
        for (String tool : List.of("chromium", "chromedriver", "cfn-lint", "moto_server", "python3", "node")) {
            assertFalse(Files.exists(toolsOnly.resolve(tool)), tool + " must not be on the build's PATH");
        }
        assertTrue(Files.exists(toolsOnly.resolve("mvn")), "mvn is on the build's PATH");
    }

    @Test
    void theDeployableCodeImportsNothingOfTheLocalRuntime() throws IOException {
        try (Stream<Path> sources = Files.walk(ProjectRoot.resolve("functions"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertFalse(Files.readString(source).contains("dev.rollout.local"),
                        source + " reaches into the local runtime, which is never deployed");
            }
        }
    }

    @Test
    void theSelfContainedProjectsPinTheAggregatorsVersions() throws IOException {
        Map<String, String> aggregator = versions(ProjectRoot.resolve("pom.xml"));
        for (String project : List.of("functions/rollout/pom.xml", "functions/greeter/pom.xml")) {
            Map<String, String> own = versions(ProjectRoot.resolve(project));
            for (Map.Entry<String, String> version : own.entrySet()) {
                assertEquals(aggregator.get(version.getKey()), version.getValue(), project + " " + version.getKey());
            }
        }
    }

    private static void buildsAlone(String codeUri, Set<String> handlerClasses) throws Exception {
        Path copy = scratch.resolve("build").resolve(codeUri);
        copyWithoutBuildOutput(ProjectRoot.resolve(codeUri), copy);
        maven(copy, "clean", "install");
        maven(copy, "dependency:copy-dependencies", "-DincludeScope=runtime");

        Path classes = copy.resolve("target/classes");
        for (String handler : handlerClasses) {
            Path file = classes.resolve(handler.replace('.', '/') + ".class");
            assertTrue(Files.exists(file), codeUri + " must build " + handler + ", its template Handler");
        }
        assertFalse(Files.exists(classes.resolve("dev/rollout/local")), codeUri + " holds local-runtime classes");

        Set<String> localOnly = new TreeSet<>();
        Set<String> sdkJars = new TreeSet<>();
        try (Stream<Path> jars = Files.list(copy.resolve("target/dependency"))) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                if (LOCAL_ONLY_JAR.matcher(name).matches()) {
                    localOnly.add(name);
                }
                if (isAwsSdk(jar)) {
                    sdkJars.add(name);
                }
            }
        }
        assertEquals(Set.of(), localOnly, codeUri + " packages jars only the local runtime or tests use");
        if (handlerClasses.stream().allMatch(h -> h.startsWith("dev.rollout.serving."))) {
            assertEquals(Set.of(), sdkJars, codeUri + " is the serving sample: it needs no AWS SDK");
        }
    }

    private static void maven(Path project, String... goals) throws Exception {
        List<String> command = new ArrayList<>(List.of(toolsOnly.resolve("mvn").toString(), "-B", "-q"));
        command.addAll(List.of(goals));
        Path log = Files.createTempFile(scratch, "mvn", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PATH", toolsOnly.toString());
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), "mvn " + String.join(" ", goals) + " in a copy of " + project
                + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** CodeUri -> the handler classes built from it, from the Globals and each function of template.yaml. */
    private static Map<String, Set<String>> handlersByCodeUri() throws IOException {
        JsonNode template = CloudFormationYaml.read(ProjectRoot.resolve("template.yaml"));
        String defaultUri = template.at("/Globals/Function/CodeUri").asText(null);
        Map<String, Set<String>> byUri = new TreeMap<>();
        for (Iterator<JsonNode> it = template.path("Resources").elements(); it.hasNext(); ) {
            JsonNode resource = it.next();
            if (!resource.path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            String uri = resource.at("/Properties/CodeUri").asText(defaultUri);
            String handler = resource.at("/Properties/Handler").asText();
            byUri.computeIfAbsent(uri, u -> new TreeSet<>()).add(handler.replaceFirst("::.*$", ""));
        }
        return byUri;
    }

    private static boolean isAwsSdk(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().startsWith("META-INF/maven/software.amazon.awssdk/"));
        }
    }

    private static Map<String, String> versions(Path pom) throws IOException {
        Matcher property = Pattern.compile("<(aws\\.sdk|jackson|junit)\\.version>([^<]+)<").matcher(Files.readString(pom));
        Map<String, String> versions = new TreeMap<>();
        while (property.find()) {
            versions.put(property.group(1), property.group(2));
        }
        return versions;
    }

    private static void copyWithoutBuildOutput(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (relative.startsWith("target")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
