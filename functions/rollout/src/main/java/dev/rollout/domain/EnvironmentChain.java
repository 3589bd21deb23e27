package dev.rollout.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The environments a function's published versions move through, in order: aliases such as {@code dev}, {@code test}
 * and {@code prod}, named by the function's {@value #TAG} tag ({@code dev test prod}). A published version rolls out
 * to the first; each promotion starts the next one's rollout; a rollout that does not promote stops the chain there.
 *
 * <p>Each environment may have its own strategy and an approval before any of its traffic moves: the tags
 * {@code rollout:<environment>:strategy} and {@code rollout:<environment>:approval}, else the stack parameters
 * {@code EnvironmentStrategies} ({@code dev=AllAtOnce,test=Canary10Percent5Minutes}) and {@code EnvironmentApprovals}
 * ({@code prod}), else the function's and the stack's settings for any rollout.
 *
 * @param environments the aliases, in order, each once
 */
public record EnvironmentChain(List<String> environments) {
    public static final String TAG = "rollout:environments";
    static final String STRATEGY_SETTING = "strategy";
    static final String APPROVAL_SETTING = "approval";
    /** {@code rollout:prod:strategy}: an alias name between the prefix and the setting. */
    private static final Pattern ENVIRONMENT_TAG = Pattern.compile("rollout:([a-zA-Z0-9_-]{1,128}):([a-z-]+)");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    public EnvironmentChain {
        environments = List.copyOf(environments);
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("a chain needs at least one environment");
        }
    }

    /**
     * The chain the function's tags name; empty when {@value #TAG} is absent or blank (no chain). A malformed value
     * is a problem named after the tag.
     */
    public static Optional<EnvironmentChain> of(Map<String, String> tags, Problems problems) {
        String value = tags.getOrDefault(TAG, "").trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Set<String> environments = new LinkedHashSet<>();
        int before = problems.size();
        for (String name : SPACES.split(value)) {
            if (!RolloutRequest.isAliasName(name)) {
                problems.add("tag " + TAG, "\"" + name + "\" is not an alias name (letters, digits, - and _, not"
                        + " only digits); expected alias names separated by spaces, such as dev test prod");
            } else if (!environments.add(name)) {
                problems.add("tag " + TAG, "\"" + name + "\" is listed twice; each environment comes once");
            }
        }
        return problems.size() == before ? Optional.of(new EnvironmentChain(new ArrayList<>(environments)))
                : Optional.empty();
    }

    /** The chain the tags name, for callers that only act on a well-formed one (Prepare reports the rest). */
    public static Optional<EnvironmentChain> of(Map<String, String> tags) {
        return of(tags, new Problems());
    }

    /** Where a published version rolls out first. */
    public String first() {
        return environments.get(0);
    }

    public boolean contains(String alias) {
        return environments.contains(alias);
    }

    /** The environment after {@code alias}; empty for the last one, and for an alias outside the chain. */
    public Optional<String> next(String alias) {
        int at = environments.indexOf(alias);
        return at < 0 || at == environments.size() - 1 ? Optional.empty() : Optional.of(environments.get(at + 1));
    }

    /** The environments before {@code alias}, in order. */
    public List<String> before(String alias) {
        int at = environments.indexOf(alias);
        return at <= 0 ? List.of() : environments.subList(0, at);
    }

    /** The environments after {@code alias}, in order. */
    public List<String> after(String alias) {
        int at = environments.indexOf(alias);
        return at < 0 ? List.of() : environments.subList(at + 1, environments.size());
    }

    /**
     * The input of the rollout that follows the promotion of {@code version} in {@code promotedIn}: the next
     * environment's alias, the same version, and a comment saying where it comes from. Its settings are Prepare's to
     * read, from that environment's tags and the stack's parameters.
     */
    public ObjectNode nextInput(String function, String promotedIn, String version, String promotedBy) {
        String next = next(promotedIn).orElseThrow(() -> new IllegalArgumentException(promotedIn
                + " is the last environment of " + describe() + " or not in it"));
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.put("functionName", function);
        input.put("alias", next);
        input.put("targetVersion", version);
        input.put("comment", "Environment chain " + describe() + ": version " + version + " promoted in " + promotedIn
                + " (execution " + promotedBy + "), now " + next);
        return input;
    }

    /**
     * The notice that the chain stopped at {@code alias}: which environments have {@code version}, where it stopped
     * and why, and which environments it never reached.
     *
     * @param how what ended the rollout, as {@link ExecutionEnding#describe()} says it
     */
    public Notice stopped(String function, String alias, String version, String how, String consoleUrl) {
        String subject = "Environment chain stopped at " + alias + ": " + function + " version " + version;
        if (subject.length() > Notice.MAX_SUBJECT) {
            subject = subject.substring(0, Notice.MAX_SUBJECT - 3) + "...";
        }
        List<String> reached = before(alias);
        List<String> never = after(alias);
        String body = "The environment chain " + describe() + " of " + function + " stopped at " + alias
                + ": the rollout of version " + version + " there did not promote, so no later environment was started."
                + "\n\n"
                + "Function:     " + function + "\n"
                + "Version:      " + version + "\n"
                + "Chain:        " + describe() + "\n"
                + "Stopped at:   " + alias + " (" + how + ")\n"
                + "Promoted in:  " + (reached.isEmpty() ? "(none)" : String.join(", ", reached)) + "\n"
                + "Not started:  " + (never.isEmpty() ? "(none: " + alias + " is the last)" : String.join(", ", never))
                + "\n"
                + "Execution:    " + consoleUrl + "\n"
                + "\nTo carry on once the cause is fixed, start the rollout of " + alias + " from the console.\n";
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("phase", "CHAIN_STOPPED");
        attributes.put("function", function);
        attributes.put("alias", alias);
        return new Notice(subject, body, attributes);
    }

    /** {@code dev -> test -> prod}. */
    public String describe() {
        return String.join(" -> ", environments);
    }

    /**
     * A tag that sets one environment's setting, such as {@code rollout:prod:approval}: its environment and setting.
     * Empty for any other key.
     */
    static Optional<Map.Entry<String, String>> environmentTag(String key) {
        var matcher = ENVIRONMENT_TAG.matcher(key);
        return matcher.matches() ? Optional.of(Map.entry(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** The tag key of {@code setting} for {@code environment}: {@code rollout:test:strategy}. */
    static String tag(String environment, String setting) {
        return "rollout:" + environment + ":" + setting;
    }

    /**
     * Reads a stack parameter of {@code environment=value} pairs separated by commas, as CloudFormation joins a
     * {@code CommaDelimitedList}: {@code dev=AllAtOnce,test=Canary10Percent5Minutes}. A malformed pair is a problem
     * named after the parameter.
     */
    static Map<String, String> pairs(String commaSeparated, String parameter, Problems problems) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : commaSeparated.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String environment = equals < 0 ? "" : trimmed.substring(0, equals).trim();
            if (equals < 0 || !RolloutRequest.isAliasName(environment)) {
                problems.add("stack parameter " + parameter, "expected environment=value pairs separated by commas,"
                        + " such as dev=AllAtOnce,test=Canary10Percent5Minutes, got \"" + trimmed + "\"");
                continue;
            }
            pairs.put(environment, trimmed.substring(equals + 1).trim());
        }
        return pairs;
    }

    /** The names in a comma-separated stack parameter, such as {@code prod}; blanks dropped. */
    static Set<String> names(String commaSeparated) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : commaSeparated.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }
}
