package dev.rollout.domain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rollout moves traffic on, by name: the one place that knows the kinds there are. Everything else (plans,
 * health checks, approvals, notices, the timeline) speaks of a target through these few words, and
 * {@link TrafficTarget} moves its traffic.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Target.LambdaAlias.class, name = "LambdaAlias"),
    @JsonSubTypes.Type(value = Target.StageCanary.class, name = "ApiGatewayCanary"),
    @JsonSubTypes.Type(value = Target.Route53Weighted.class, name = "Route53Weighted")
})
public sealed interface Target permits Target.LambdaAlias, Target.StageCanary, Target.Route53Weighted {

    /** For sentences: {@code alias orders:live}. */
    default String describe() {
        return noun() + " " + title();
    }

    /** What kind of thing it is, for sentences: {@code alias}, {@code stage}, {@code record name}. */
    String noun();

    /** Short, for subjects and titles: {@code orders:live}. */
    String title();

    /** What one side of the split is: {@code version}, {@code deployment}, {@code record set}. */
    String unit();

    /** Who the rollout is of, in a sentence: {@code orders (alias live)}. */
    String phrase();

    /**
     * The facts people need to find the target, in reading order, e.g. Function and Alias. Each name is one word:
     * lowercased, they are the SNS message attributes subscribers filter on.
     */
    Map<String, String> facts();

    /** Identifies the target across rollouts: one rollout per key at a time. */
    String key();

    /** A Lambda alias, split between two versions by its weighted {@code RoutingConfig}. */
    record LambdaAlias(String functionName, String alias) implements Target {
        @Override
        public String noun() {
            return "alias";
        }

        @Override
        public String title() {
            return functionName + ":" + alias;
        }

        @Override
        public String phrase() {
            return functionName + " (alias " + alias + ")";
        }

        @Override
        public String unit() {
            return "version";
        }

        @Override
        public Map<String, String> facts() {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("Function", functionName);
            facts.put("Alias", alias);
            return facts;
        }

        @Override
        public String key() {
            return "lambda:" + functionName + ":" + alias;
        }
    }

    /**
     * A stage of an API Gateway REST API, split between its own deployment and a canary deployment by
     * {@code canarySettings.percentTraffic}.
     *
     * @param stageVariableOverrides the canary's stage variables; promotion makes them the stage's own
     * @param startingVariables      the stage's variables when the rollout was prepared (empty before): what a
     *                               rollback of a promoted stage puts back
     * @param apiName                the API's {@code ApiName} metric dimension, read when the rollout was prepared;
     *                               null before (and in documents prepared before the canary's metrics were judged)
     */
    record StageCanary(String restApiId, String stage, Map<String, String> stageVariableOverrides,
                       Map<String, String> startingVariables, String apiName) implements Target {
        public StageCanary {
            stageVariableOverrides = stageVariableOverrides == null ? Map.of() : Map.copyOf(stageVariableOverrides);
            startingVariables = startingVariables == null ? Map.of() : Map.copyOf(startingVariables);
        }

        /** As the input names it, before the stage was read. */
        public StageCanary(String restApiId, String stage, Map<String, String> stageVariableOverrides) {
            this(restApiId, stage, stageVariableOverrides, Map.of(), null);
        }

        /**
         * The same target, remembering the stage's variables as they are now and the name its metrics carry.
         */
        public StageCanary prepared(Map<String, String> variables, String metricsApiName) {
            return new StageCanary(restApiId, stage, stageVariableOverrides, variables, metricsApiName);
        }

        @Override
        public String noun() {
            return "stage";
        }

        @Override
        public String title() {
            return restApiId + "/" + stage;
        }

        @Override
        public String phrase() {
            return "stage " + stage + " of API " + restApiId;
        }

        @Override
        public String unit() {
            return "deployment";
        }

        @Override
        public Map<String, String> facts() {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("Api", restApiId);
            facts.put("Stage", stage);
            return facts;
        }

        @Override
        public String key() {
            return "apigateway:" + restApiId + ":" + stage;
        }
    }

    /**
     * A record name and type in a Route 53 hosted zone, split between two of its weighted record sets, named by their
     * {@code SetIdentifier}s, by their weights ({@link RecordWeights}).
     *
     * @param recordName      as Route 53 compares names: lower case, without the final dot
     * @param from            the record set that receives the queries when the rollout starts
     * @param to              the record set the rollout moves them to
     * @param startingWeights the two records' weights when the rollout was prepared (absent before): what a rollback
     *                        puts back
     */
    record Route53Weighted(String hostedZoneId, String recordName, String recordType, String from, String to,
                           RecordWeights startingWeights) implements Target {

        /** As the input names it, before the records were read. */
        public Route53Weighted(String hostedZoneId, String recordName, String recordType, String from, String to) {
            this(hostedZoneId, recordName, recordType, from, to, null);
        }

        /** The same target, remembering the records' weights as they are now. */
        public Route53Weighted startingWith(RecordWeights weights) {
            return new Route53Weighted(hostedZoneId, recordName, recordType, from, to, weights);
        }

        @Override
        public String noun() {
            return "record";
        }

        @Override
        public String title() {
            return recordName + " " + recordType;
        }

        @Override
        public String phrase() {
            return "record " + recordName + " (" + recordType + ") in hosted zone " + hostedZoneId;
        }

        @Override
        public String unit() {
            return RecordWeights.UNIT;
        }

        @Override
        public Map<String, String> facts() {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("HostedZone", hostedZoneId);
            facts.put("Record", recordName);
            facts.put("Type", recordType);
            return facts;
        }

        /** One rollout per record name and type, whichever two of its record sets it moves between. */
        @Override
        public String key() {
            return "route53:" + hostedZoneId + ":" + recordName + ":" + recordType;
        }
    }
}
