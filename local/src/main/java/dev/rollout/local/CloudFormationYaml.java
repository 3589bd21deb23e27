package dev.rollout.local;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a CloudFormation YAML template into the JSON form CloudFormation itself uses: short-form tags
 * become their long form ({@code !Ref X} -> {@code {"Ref": "X"}}, {@code !GetAtt A.B} ->
 * {@code {"Fn::GetAtt": ["A", "B"]}}, {@code !Sub s} -> {@code {"Fn::Sub": "s"}}). Plain YAML readers drop
 * or reject those tags.
 */
public final class CloudFormationYaml {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> FUNCTIONS = Set.of(
            "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
            "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length");

    private static final Map<Version, JsonNode> READ = new ConcurrentHashMap<>();

    private CloudFormationYaml() {
    }

    /** The file's tree; a copy of the one read before while the file has not changed since. */
    public static JsonNode read(Path file) throws IOException {
        Version version = new Version(file.toAbsolutePath(), Files.getLastModifiedTime(file), Files.size(file));
        JsonNode read = READ.get(version);
        if (read == null) {
            try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                parser.nextToken();
                read = readValue(parser);
            }
            READ.put(version, read);
        }
        return read.deepCopy();
    }

    /** A file as it was: a simulation, a test or a benchmark reads template.yaml once per JVM, not once per rollout. */
    private record Version(Path file, FileTime modified, long size) {
    }

    /**
     * The event pattern of the one EventBridge rule whose target is the function with {@code handler} (an
     * {@code EventBridgeRule} event of that function), as {@code template} declares it.
     */
    public static JsonNode eventRulePattern(Path template, String handler) throws IOException {
        List<JsonNode> patterns = new ArrayList<>();
        for (JsonNode resource : read(template).path("Resources")) {
            if (handler.equals(resource.at("/Properties/Handler").asText())) {
                for (Iterator<JsonNode> events = resource.at("/Properties/Events").elements(); events.hasNext(); ) {
                    JsonNode event = events.next();
                    if ("EventBridgeRule".equals(event.path("Type").asText())) {
                        patterns.add(event.at("/Properties/Pattern"));
                    }
                }
            }
        }
        if (patterns.size() != 1) {
            throw new IllegalStateException(template + " should hold one EventBridgeRule event on the function whose"
                    + " Handler is " + handler + ", found " + patterns.size());
        }
        return patterns.get(0);
    }

    private static JsonNode readValue(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId(); // belongs to the current token: read it before moving on
        JsonNode value = switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, readValue(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IOException("Unexpected " + parser.currentToken() + " at " + parser.currentLocation());
        };
        return tag == null ? value : longForm(tag, value, parser);
    }

    private static JsonNode longForm(String tag, JsonNode value, YAMLParser parser) throws IOException {
        ObjectNode function = NODES.objectNode();
        if (tag.equals("Ref") || tag.equals("Condition")) {
            function.set(tag, value);
        } else if (tag.equals("GetAtt") && value.isTextual()) {
            String[] resourceAndAttribute = value.asText().split("\\.", 2);
            function.set("Fn::GetAtt", NODES.arrayNode().add(resourceAndAttribute[0]).add(resourceAndAttribute[1]));
        } else if (FUNCTIONS.contains(tag)) {
            function.set("Fn::" + tag, value);
        } else {
            throw new IOException("Unknown tag !" + tag + " at " + parser.currentLocation());
        }
        return function;
    }
}
