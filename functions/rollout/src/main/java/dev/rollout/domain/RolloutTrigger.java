package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides whether a published version starts a rollout, and names that rollout's execution so that it starts once.
 *
 * <p>The execution name is derived from the function, alias and version alone. Step Functions keeps an execution
 * name taken for 90 days: a second StartExecution with that name starts nothing (it returns the running execution
 * when the input is the same, and fails with {@code ExecutionAlreadyExists} otherwise). So a duplicated event, a
 * retried delivery, or a publish that returns a version that already existed, cannot start a second rollout.
 */
public final class RolloutTrigger {
    /** Step Functions' limit on execution names. */
    public static final int MAX_EXECUTION_NAME = 80;
    private static final int HASH_LENGTH = 8;

    private final Set<String> managedFunctions;

    /** @param managedFunctions names of the functions this stack rolls out; others are skipped */
    public RolloutTrigger(Collection<String> managedFunctions) {
        this.managedFunctions = Set.copyOf(managedFunctions);
    }

    /** The names in a comma-separated list, as template.yaml passes {@code MANAGED_FUNCTIONS}; blanks dropped. */
    public static Set<String> managedFunctions(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What StartRollout does with one publication. */
    public sealed interface Decision {
    }

    /**
     * Start an execution.
     *
     * @param input the rollout input: {@code functionName}, {@code alias} (left out when the {@code rollout:alias}
     *              tag is malformed, so that Prepare refuses naming the tag), {@code targetVersion} and a
     *              {@code comment} saying who published; strategy, alarms and approval are Prepare's to read from
     *              the function's tags, where a bad value fails the rollout visibly
     */
    public record Start(String executionName, ObjectNode input) implements Decision {
    }

    /** Start nothing. */
    public record Skip(String reason) implements Decision {
    }

    /**
     * First look at an event, with no AWS call: is it the publication of a version of a managed function? Other
     * functions are not looked at any further: this stack may not even read their tags.
     */
    public PublishEvent screen(JsonNode event) {
        PublishEvent read = PublishEvent.read(event);
        if (read instanceof PublishEvent.Published published && !managedFunctions.contains(published.functionName())) {
            return new PublishEvent.Ignored("function " + published.functionName() + " is not managed by this stack"
                    + " (it manages " + String.join(", ", new TreeSet<>(managedFunctions))
                    + "; add it to the ManagedFunctionNames parameter to roll it out automatically)");
        }
        return read;
    }

    /**
     * Decides about a managed function's publication.
     *
     * @param tags  the function's tags
     * @param alias reads an alias of the function; empty when it does not exist
     */
    public Decision decide(PublishEvent.Published published, Map<String, String> tags,
                           Function<String, Optional<Routing>> alias) {
        String function = published.functionName();
        String version = published.version();
        // A function with environments rolls each new version out to the first of them.
        Optional<String> aliasName = EnvironmentChain.of(tags).map(EnvironmentChain::first)
                .or(() -> RolloutSettings.alias(tags));
        if (aliasName.isPresent()) {
            Optional<Routing> routing = alias.apply(aliasName.get());
            if (routing.isEmpty() && version.equals("1")) {
                // The first version of a function: nothing serves traffic through the alias yet. SAM creates the
                // alias on it right after publishing, which must not read as a refused rollout.
                return new Skip("version 1 is the first version of " + function + " and no alias " + aliasName.get()
                        + " serves traffic yet, so there is nothing to roll out from");
            }
            if (routing.isPresent() && !routing.get().isSplit() && routing.get().primary().equals(version)) {
                return new Skip("alias " + aliasName.get() + " of " + function + " already serves version " + version
                        + ", so there is nothing to roll out");
            }
        }
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.put("functionName", function);
        aliasName.ifPresent(name -> input.put("alias", name));
        input.put("targetVersion", version);
        input.put("comment", "Started automatically: " + published.call() + " by " + published.publishedBy()
                + " (CloudTrail event " + published.eventId() + ")");
        String aliasForName = aliasName.orElse(tags.getOrDefault(RolloutSettings.ALIAS_TAG, ""));
        return new Start(executionName(function, aliasForName, version), input);
    }

    /**
     * The execution name of the rollout of {@code version} on {@code alias}: readable, at most
     * {@value #MAX_EXECUTION_NAME} characters of {@code [A-Za-z0-9_-]} (what Step Functions needs for CloudWatch
     * Logs), and ending in a hash of the three parts, so that two different rollouts never share a name even where
     * the readable part is ambiguous ({@code a-b} + {@code c} and {@code a} + {@code b-c}) or cut short.
     */
    public static String executionName(String function, String alias, String version) {
        String readable = (function + "-" + alias + "-v" + version).replaceAll("[^A-Za-z0-9_-]", "_");
        int room = MAX_EXECUTION_NAME - HASH_LENGTH - 1;
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        return readable + "-" + sha256(function + "\n" + alias + "\n" + version).substring(0, HASH_LENGTH);
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime provides SHA-256", impossible);
        }
    }
}
