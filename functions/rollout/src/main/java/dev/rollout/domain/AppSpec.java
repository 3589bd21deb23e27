package dev.rollout.domain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A CodeDeploy AppSpec for a Lambda deployment, read as a rollout input, so that teams moving from CodeDeploy start
 * rollouts with the files they have.
 *
 * <p>A start input carries it in one of two ways: {@code {"appSpec": ..., "strategy": ...}}, where {@code appSpec} is
 * the AppSpec as YAML or JSON text or as an object, or the AppSpec object itself with {@code strategy} added at its
 * top level. The AppSpec supplies {@code functionName}, {@code alias}, {@code currentVersion}, {@code targetVersion}
 * and {@code hooks}; {@code strategy}, {@code alarms}, {@code approval} and {@code comment} come beside it, as in any
 * input. Keys are read regardless of case, as CodeDeploy's own documentation spells them both ways.
 *
 * <p>The subset read: {@code version} 0.0; one entry in {@code Resources}, of {@code Type} {@code AWS::Lambda::Function},
 * with {@code Properties} {@code Name}, {@code Alias}, {@code CurrentVersion} and {@code TargetVersion}; {@code Hooks}
 * with at most one {@code BeforeAllowTraffic} and one {@code AfterAllowTraffic}, each naming a function.
 */
public final class AppSpec {
    /** The input field that carries an AppSpec beside the other settings. */
    public static final String FIELD = "appSpec";

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Settings that may stand beside an AppSpec; the AppSpec supplies the rest. */
    private static final Set<String> BESIDE = Set.of("strategy", "alarms", "approval", "comment");
    private static final Set<String> TOP = Set.of("version", "resources", "hooks");
    private static final Set<String> RESOURCE = Set.of("type", "properties");
    private static final Set<String> PROPERTIES = Set.of("name", "alias", "currentversion", "targetversion");
    private static final Map<String, Hook.Moment> HOOKS = Map.of(
            "beforeallowtraffic", Hook.Moment.PRE_TRAFFIC, "afterallowtraffic", Hook.Moment.POST_TRAFFIC);
    private static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";

    private AppSpec() {
    }

    /** Whether {@code input} carries an AppSpec, beside its settings or as the input itself. */
    public static boolean isIn(JsonNode input) {
        return input != null && input.isObject() && (input.has(FIELD) || field(input, "resources") != null);
    }

    /**
     * The rollout input {@code input} stands for: an input carrying an AppSpec becomes the plain input it describes;
     * any other input is returned as it is.
     *
     * @throws Rollout.InvalidInput naming every problem, each at its place in the AppSpec
     */
    public static JsonNode expand(JsonNode input) {
        if (!isIn(input)) {
            return input;
        }
        Problems problems = new Problems();
        ObjectNode expanded = NODES.objectNode();
        JsonNode spec;
        String at;
        if (input.has(FIELD)) {
            at = FIELD;
            spec = read(input.get(FIELD), problems);
            for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getKey().equals(FIELD)) {
                    continue;
                }
                if (BESIDE.contains(entry.getKey())) {
                    expanded.set(entry.getKey(), entry.getValue());
                } else {
                    problems.add(entry.getKey(), "cannot stand beside an AppSpec; expected only "
                            + String.join(", ", new TreeSet<>(BESIDE)) + " beside appSpec");
                }
            }
        } else {
            at = "";
            ObjectNode only = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (BESIDE.contains(entry.getKey())) {
                    expanded.set(entry.getKey(), entry.getValue());
                } else {
                    only.set(entry.getKey(), entry.getValue());
                }
            }
            spec = only;
        }
        if (spec != null) {
            describe(spec, at, expanded, problems);
        }
        problems.throwIfAny();
        return expanded;
    }

    /** An AppSpec object, or YAML or JSON text (JSON is YAML too). */
    private static JsonNode read(JsonNode node, Problems problems) {
        if (node.isObject()) {
            return node;
        }
        if (node.isTextual()) {
            try {
                JsonNode parsed = YAML.readTree(node.asText());
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
                problems.add(FIELD, "expected an AppSpec document with version and Resources, got "
                        + JsonFields.describe(parsed));
            } catch (JacksonException unreadable) {
                problems.add(FIELD, "is neither YAML nor JSON: " + unreadable.getOriginalMessage());
            }
            return null;
        }
        problems.add(FIELD, "expected an AppSpec as YAML or JSON text, or as an object, got " + JsonFields.describe(node));
        return null;
    }

    private static void describe(JsonNode spec, String at, ObjectNode expanded, Problems problems) {
        refuseUnknown(spec, at, TOP, problems);
        JsonNode version = field(spec, "version");
        if (version == null || !(version.isNumber() ? version.asDouble() == 0.0 : version.asText().equals("0.0"))) {
            problems.add(name(at, "version"), "expected 0.0, the AppSpec version CodeDeploy reads, got "
                    + JsonFields.describe(version));
        }
        resource(field(spec, "resources"), name(at, "Resources"), expanded, problems);
        hooks(field(spec, "hooks"), name(at, "Hooks"), expanded, problems);
    }

    private static void resource(JsonNode resources, String at, ObjectNode expanded, Problems problems) {
        if (resources == null || !resources.isArray() || resources.size() != 1) {
            String got = resources != null && resources.isArray()
                    ? resources.size() + " entries"
                    : JsonFields.describe(resources);
            problems.add(at, "expected a list with the one Lambda function to deploy, got " + got);
            return;
        }
        JsonNode entry = resources.get(0);
        if (!entry.isObject() || entry.size() != 1) {
            problems.add(at + "[0]", "expected one named resource such as {\"myFunction\": {\"Type\": \"" + LAMBDA_FUNCTION
                    + "\", \"Properties\": {...}}}");
            return;
        }
        String name = entry.fieldNames().next();
        String place = at + "[0]." + name;
        JsonNode resource = entry.get(name);
        refuseUnknown(resource, place, RESOURCE, problems);
        JsonNode type = field(resource, "type");
        if (type == null || !LAMBDA_FUNCTION.equals(type.asText())) {
            problems.add(place + ".Type", "expected " + LAMBDA_FUNCTION + ": only Lambda deployments roll out here, got "
                    + JsonFields.describe(type));
        }
        JsonNode properties = field(resource, "properties");
        if (properties == null || !properties.isObject()) {
            problems.add(place + ".Properties", "expected Name, Alias, CurrentVersion and TargetVersion");
            return;
        }
        String props = place + ".Properties";
        refuseUnknown(properties, props, PROPERTIES, problems);
        copy(properties, "name", "Name", "functionName", props, expanded, problems);
        copy(properties, "alias", "Alias", "alias", props, expanded, problems);
        copy(properties, "currentversion", "CurrentVersion", "currentVersion", props, expanded, problems);
        copy(properties, "targetversion", "TargetVersion", "targetVersion", props, expanded, problems);
    }

    /** A scalar property, as text: YAML reads {@code TargetVersion: 2} as a number. */
    private static void copy(JsonNode properties, String key, String spelled, String target, String at,
                             ObjectNode expanded, Problems problems) {
        JsonNode value = field(properties, key);
        if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
            problems.add(at + "." + spelled, "is required, got " + JsonFields.describe(value));
            return;
        }
        expanded.put(target, value.asText());
    }

    private static void hooks(JsonNode hooks, String at, ObjectNode expanded, Problems problems) {
        if (hooks == null || hooks.isNull()) {
            return;
        }
        if (!hooks.isArray()) {
            problems.add(at, "expected a list such as [{\"BeforeAllowTraffic\": \"my-check\"}], got "
                    + JsonFields.describe(hooks));
            return;
        }
        Map<Hook.Moment, String> found = new LinkedHashMap<>();
        for (int i = 0; i < hooks.size(); i++) {
            JsonNode hook = hooks.get(i);
            String place = at + "[" + i + "]";
            if (!hook.isObject() || hook.size() != 1) {
                problems.add(place, "expected one lifecycle event and its function, such as"
                        + " {\"BeforeAllowTraffic\": \"my-check\"}");
                continue;
            }
            String event = hook.fieldNames().next();
            Hook.Moment moment = HOOKS.get(event.toLowerCase(Locale.ROOT));
            if (moment == null) {
                problems.add(place + "." + event, "is no lifecycle event of a Lambda deployment; expected"
                        + " BeforeAllowTraffic or AfterAllowTraffic");
            } else if (!hook.get(event).isTextual() || hook.get(event).asText().isBlank()) {
                problems.add(place + "." + event, "expected the name of a Lambda function, got "
                        + JsonFields.describe(hook.get(event)));
            } else if (found.putIfAbsent(moment, hook.get(event).asText().trim()) != null) {
                problems.add(place + "." + event, "is listed twice; each hook runs once per deployment");
            }
        }
        if (!found.isEmpty()) {
            ObjectNode moments = expanded.putObject("hooks");
            found.forEach((moment, function) -> moments.put(moment.wireName(), function));
        }
    }

    /** The field named {@code lowerCaseName} in any case. */
    private static JsonNode field(JsonNode node, String lowerCaseName) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return node.get(name);
            }
        }
        return null;
    }

    private static void refuseUnknown(JsonNode node, String at, Set<String> known, Problems problems) {
        if (node == null || !node.isObject()) {
            return;
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String key = name.toLowerCase(Locale.ROOT);
            if (!known.contains(key)) {
                problems.add(name(at, name), "is not part of a Lambda AppSpec; expected "
                        + String.join(", ", spelled(known)));
            } else if (seen.containsKey(key)) {
                // Keys are read regardless of case, so two spellings would leave it open which one counts.
                problems.add(name(at, name), "is given twice, also as " + seen.get(key));
            } else {
                seen.put(key, name);
            }
        }
    }

    private static List<String> spelled(Set<String> known) {
        Map<String, String> spellings = Map.of("version", "version", "resources", "Resources", "hooks", "Hooks",
                "type", "Type", "properties", "Properties", "name", "Name", "alias", "Alias",
                "currentversion", "CurrentVersion", "targetversion", "TargetVersion");
        return known.stream().map(spellings::get).sorted().toList();
    }

    private static String name(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }
}
