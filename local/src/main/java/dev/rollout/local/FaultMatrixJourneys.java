package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import dev.rollout.handlers.Json;
import dev.rollout.local.aws.LambdaErrors;

/**
 * The rollouts the fault matrix breaks: between them they run every Task state of the state machine and every
 * function of the template.
 */
final class FaultMatrixJourneys {
    private FaultMatrixJourneys() {
    }

    /**
     * @param to      the side the rollout promotes; null when the rollout creates it (a new deployment)
     * @param always  a fault every run of the journey carries (for the rollback that keeps failing)
     * @param others  whether concurrent rollouts and changes by hand are tried on it
     */
    record Spec(String name, ObjectNode scenario, String from, String to, FaultMatrix.Injection always,
                boolean others) {
    }

    private static final FaultMatrix.Injection NOTHING = baseline -> Set.of(baseline);

    static List<Spec> all() {
        return List.of(
                new Spec("promoting", promoting(), "1", "2", NOTHING, true),
                new Spec("rolling back", rollingBack(), "1", "2", NOTHING, false),
                new Spec("refused", refused(), "1", "1", NOTHING, false),
                new Spec("stopped", stopped(), "1", "2", NOTHING, false),
                new Spec("stage canary", stageCanary(), "d1", "d2", NOTHING, false),
                new Spec("new deployment", newDeployment(), "d1", null, NOTHING, false),
                new Spec("Region shift", regionShift(), "eu-west-1", "us-east-1", NOTHING, false),
                new Spec("aborted", controlled("abort"), "1", "2", NOTHING, false),
                new Spec("promoted now", controlled("promote"), "1", "2", NOTHING, false),
                new Spec("environment chain", environmentChain(), "1", "2", NOTHING, false),
                new Spec("approval timed out", approvalTimedOut(), "1", "2", NOTHING, false),
                new Spec("two rollouts", promoting(), "1", "2",
                        FaultMatrixInjections.concurrent(promoting(), "3", "other", 60), false),
                new Spec("notice refused", noticeRefused(), "1", "2", FaultMatrixInjections.call("SNS", "Notify",
                        "Publish", FaultMatrix.Fault.PERSISTENT_5XX, NOTHING), false),
                new Spec("alarm event lost", flickering(), "1", "2", FaultMatrixInjections.call("DynamoDB",
                        "AlarmStateChanged", "GetItem", FaultMatrix.Fault.PERSISTENT_5XX, NOTHING), false),
                new Spec("rollback failing", rollingBack(), "1", "2", new FaultMatrix.Injection() {
                    @Override
                    public void arm(FaultMatrix.Run run) {
                        run.simulation.aws().lambda().faults().failCallsBy("Rollback", "UpdateAlias",
                                Integer.MAX_VALUE, LambdaErrors::serviceError);
                    }

                    @Override
                    public Set<Outcome> allowed(Outcome baseline) {
                        return Set.of(baseline);
                    }
                }, false));
    }

    /**
     * Every step a rollout can take: a pre-traffic hook, a shift and a bake, a shift without a bake, an approval,
     * another shift and bake, the promotion, a post-traffic hook that answers through its task token and a final
     * bake. A third version exists for a concurrent rollout to aim at.
     */
    static ObjectNode promoting() {
        ObjectNode scenario = world("A healthy rollout through every kind of step");
        ObjectNode hooks = scenario.putObject("hooks");
        hooks.putObject("orders-smoke").put("answer", "pass").put("message", "smoke checks passed");
        hooks.putObject("orders-journey").put("answer", "pass").put("message", "checkout journey passed")
                .put("after", "30s");
        scenario.putArray("approvals").addObject().put("answer", "approve").put("after", "1m").put("by", "dana");
        ObjectNode rollout = rollout(scenario);
        ArrayNode steps = strategy(rollout);
        steps.addObject().put("setWeight", 20);
        steps.addObject().putObject("pause").put("duration", "2m");
        steps.addObject().put("setWeight", 30);
        steps.addObject().putObject("approval").put("timeout", "1h");
        steps.addObject().put("setWeight", 50);
        steps.addObject().putObject("pause").put("duration", "2m");
        rollout.put("finalBake", "2m");
        ObjectNode hookInput = rollout.putObject("hooks").put("preTraffic", "orders-smoke");
        hookInput.putObject("postTraffic").put("function", "orders-journey").put("callback", true)
                .put("timeout", "5m");
        return scenario;
    }

    /** The rollout above, stopped from the console in its first bake: Restore puts the alias back. */
    static ObjectNode stopped() {
        ObjectNode scenario = promoting().put("description", "The rollout above, stopped in its first bake");
        scenario.putObject("stop").put("at", "1m30s").put("error", "Operator.Stopped");
        return scenario;
    }

    /** An API Gateway stage canary: deployment d2 gets 10% of the stage, then all of it. */
    static ObjectNode stageCanary() {
        ObjectNode scenario = Json.object().put("description", "A stage canary promotes deployment d2")
                .put("function", "greeter");
        ArrayNode versions = scenario.putArray("versions");
        versions.addObject().put("errorRate", 0).put("latencyMs", 80);
        versions.addObject().put("errorRate", 0).put("latencyMs", 70);
        scenario.putObject("aliases").put("next", "2");
        ObjectNode api = scenario.putObject("api").put("id", "a1b2c3d4e5").put("name", "greeter-api")
                .put("stage", "prod").put("liveDeployment", "d1");
        api.putObject("variables").put("lambdaAlias", "live");
        api.putArray("deployments").add(Json.object().put("id", "d1")).add(Json.object().put("id", "d2"));
        scenario.put("requestsPerMinute", 600);
        ObjectNode alarm = scenario.putArray("alarms").addObject().put("name", "greeter-api-canary-5xx")
                .put("namespace", "AWS/ApiGateway").put("metric", "5XXError").put("statistic", "Sum")
                .put("comparison", ">=").put("threshold", 5).put("periodSeconds", 60);
        alarm.putObject("dimensions").put("ApiName", "greeter-api").put("Stage", "prod/Canary");
        ObjectNode rollout = scenario.putObject("rollout");
        rollout.putObject("target").put("type", "ApiGatewayCanary").put("restApiId", "a1b2c3d4e5")
                .put("stage", "prod").put("deploymentId", "d2").putObject("stageVariableOverrides")
                .put("lambdaAlias", "next");
        rollout.put("strategy", "Canary10Percent5Minutes");
        rollout.putArray("alarms").add("greeter-api-canary-5xx");
        return scenario;
    }

    /**
     * Route 53 weighted records: api.example.com moves from eu-west-1 to us-east-1 in two steps, each settled (Route 53
     * in sync, cached answers expired) before its bake, as events/scenarios/route53-region-shift-healthy.json does.
     */
    static ObjectNode regionShift() {
        ObjectNode scenario = Json.object().put("description", "A healthy shift of api.example.com to us-east-1")
                .put("function", "greeter");
        scenario.putArray("versions").addObject().put("errorRate", 0).put("latencyMs", 80);
        scenario.put("requestsPerMinute", 600);
        ObjectNode alarm = scenario.putArray("alarms").addObject().put("name", "greeter-us-east-1-errors")
                .put("metric", "Errors").put("statistic", "Sum").put("comparison", ">=").put("threshold", 5);
        alarm.putObject("dimensions").put("FunctionName", "greeter").put("Resource", "greeter:live");
        ObjectNode dns = scenario.putObject("dns");
        dns.putObject("hostedZone").put("id", "Z0123456789ABCDEFGHIJ").put("name", "example.com");
        dns.putObject("record").put("name", "api.example.com").put("type", "A");
        ArrayNode regions = dns.putArray("regions");
        regions.addObject().put("region", "eu-west-1").put("endpoint", "d-eu1a2b3c4d.execute-api.eu-west-1.amazonaws.com")
                .put("version", "1").put("weight", 255).putObject("healthCheck")
                .put("id", "4b1f8a5e-0c2d-4e6f-9a1b-2c3d4e5f6a7b").put("path", "/Prod/");
        regions.addObject().put("region", "us-east-1").put("endpoint", "d-us1a2b3c4d.execute-api.us-east-1.amazonaws.com")
                .put("version", "1").put("weight", 0).putObject("healthCheck")
                .put("id", "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b").put("path", "/Prod/");
        dns.put("resolvers", 40);
        ObjectNode rollout = scenario.putObject("rollout");
        rollout.putObject("target").put("type", "Route53Weighted").put("hostedZoneId", "Z0123456789ABCDEFGHIJ")
                .put("recordName", "api.example.com").put("recordType", "A").put("from", "eu-west-1")
                .put("to", "us-east-1");
        ArrayNode steps = strategy(rollout);
        steps.addObject().put("setWeight", 10);
        steps.addObject().putObject("pause").put("duration", "5m");
        steps.addObject().put("setWeight", 50);
        steps.addObject().putObject("pause").put("duration", "5m");
        rollout.putArray("alarms").add("greeter-us-east-1-errors");
        return scenario;
    }

    /** A 30-minute canary bake that dana ends seven minutes in from the started notice's link: abort or promote. */
    static ObjectNode controlled(String action) {
        ObjectNode scenario = world("A 30-minute canary bake that dana ends with " + action + " seven minutes in");
        rollout(scenario).put("strategy", "Canary10Percent30Minutes");
        scenario.putArray("controls").addObject().put("at", "7m").put("action", action).put("by", "dana")
                .put("reason", "the fault matrix's " + action);
        return scenario;
    }

    /**
     * A healthy canary whose every notice SNS refuses to Notify (the journey's fault): it promotes all the same, and the
     * sweeper publishes the promoted notice Notify kept, which gives the sweeper's calls for it rows.
     */
    static ObjectNode noticeRefused() {
        ObjectNode scenario = world("A healthy canary whose notices SNS refuses; the sweeper publishes the kept one");
        rollout(scenario).put("strategy", "Canary10Percent5Minutes");
        return scenario;
    }

    /**
     * Version 2 is published with an environment chain: all at once to dev, ContinueChain starts test's canary and,
     * once test promotes, prod's, which waits for dana's approval before it moves prod.
     */
    static ObjectNode environmentChain() {
        ObjectNode scenario = Json.object().put("description", "Version 2 published: dev, then test, then prod")
                .put("function", "orders").put("alias", "dev");
        scenario.putObject("aliases").put("test", "1").put("prod", "1");
        ArrayNode versions = scenario.putArray("versions");
        versions.addObject().put("errorRate", 0).put("latencyMs", 80);
        versions.addObject().put("errorRate", 0).put("latencyMs", 75);
        scenario.put("requestsPerMinute", 600).put("trigger", "publish");
        scenario.putObject("tags").put("rollout:environments", "dev test prod")
                .put("rollout:strategy", "Canary10Percent5Minutes");
        scenario.putArray("approvals").addObject().put("answer", "approve").put("after", "10m").put("by", "dana");
        return scenario;
    }

    /** Version 2 starts failing a quarter of its requests three minutes in; its alarm fires in the second bake. */
    static ObjectNode rollingBack() {
        ObjectNode scenario = world("Version 2 fails three minutes in and the rollout rolls back");
        scenario.putArray("changes").addObject().put("at", "3m").put("version", "2").put("errorRate", 0.25);
        ArrayNode steps = strategy(rollout(scenario));
        steps.addObject().put("setWeight", 20);
        steps.addObject().putObject("pause").put("duration", "2m");
        steps.addObject().put("setWeight", 50);
        steps.addObject().putObject("pause").put("duration", "5m");
        return scenario;
    }

    /**
     * Version 2 fails for two minutes in the second bake, and its alarm fires and clears; the alarm's event never
     * interrupts the bake (AlarmStateChanged keeps failing), so the window check at its end reads the alarm's history.
     */
    static ObjectNode flickering() {
        ObjectNode scenario = rollingBack().put("description",
                "Version 2's alarm fires and clears in a bake whose interruption is lost; the history rolls it back");
        ((ArrayNode) scenario.get("changes")).addObject().put("at", "5m").put("version", "2").put("errorRate", 0.001);
        return scenario;
    }

    /** Nobody answers the approval at 20%: CloseApproval closes it at its time-out and the rollout rolls back. */
    static ObjectNode approvalTimedOut() {
        ObjectNode scenario = world("Nobody answers the approval, which times out, and the rollout rolls back");
        ArrayNode steps = strategy(rollout(scenario));
        steps.addObject().put("setWeight", 20);
        steps.addObject().putObject("approval").put("timeout", "5m").put("onTimeout", "rollback");
        steps.addObject().put("setWeight", 50);
        return scenario;
    }

    /** A rollout to the version the alias already serves: refused before anything moves. */
    static ObjectNode refused() {
        ObjectNode scenario = world("A rollout to the version already live is refused");
        ObjectNode rollout = rollout(scenario);
        rollout.put("targetVersion", "1");
        rollout.put("strategy", "AllAtOnce");
        return scenario;
    }

    private static ObjectNode world(String description) {
        ObjectNode scenario = Json.object().put("description", description).put("function", "orders");
        ArrayNode versions = scenario.putArray("versions");
        versions.addObject().put("errorRate", 0.001).put("latencyMs", 80);
        versions.addObject().put("errorRate", 0.001).put("latencyMs", 70);
        versions.addObject().put("errorRate", 0.001).put("latencyMs", 70);
        scenario.put("requestsPerMinute", 1200);
        scenario.putArray("alarms").addObject().put("name", "orders-errors").put("metric", "Errors")
                .put("statistic", "Sum").put("comparison", ">=").put("threshold", 10);
        return scenario;
    }

    private static ObjectNode rollout(ObjectNode scenario) {
        ObjectNode rollout = scenario.putObject("rollout").put("functionName", "orders").put("targetVersion", "2");
        rollout.putArray("alarms").add("orders-errors");
        return rollout;
    }

    private static ArrayNode strategy(ObjectNode rollout) {
        return rollout.putObject("strategy").put("type", "Steps").putArray("steps");
    }

    /** The names of the state machine's Task states. */
    static Set<String> taskStates(Path projectRoot) throws IOException {
        JsonNode states = definition(projectRoot).path("States");
        Set<String> names = new java.util.TreeSet<>();
        states.fields().forEachRemaining(state -> {
            if (state.getValue().path("Type").asText().equals("Task")) {
                names.add(state.getKey());
            }
        });
        return names;
    }

    private static JsonNode definition(Path projectRoot) throws IOException {
        return Json.MAPPER.readTree(Files.readString(projectRoot.resolve("statemachine/rollout.asl.json")));
    }

    /** The stage canary without a deploymentId: Prepare deploys the stage's API as it is and rolls that out. */
    static ObjectNode newDeployment() {
        ObjectNode scenario = stageCanary().put("description", "A stage canary of a deployment Prepare creates");
        ((ObjectNode) scenario.at("/rollout/target")).remove("deploymentId");
        return scenario;
    }

    /** Whether the state machine's state {@code name} is a Task that waits for a task token. */
    static boolean waitsForTaskToken(Path projectRoot, String name) throws IOException {
        return definition(projectRoot).at("/States/" + name + "/Resource").asText().endsWith(".waitForTaskToken");
    }
}
