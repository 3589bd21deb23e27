package dev.rollout.local;

import java.time.Instant;
import java.util.Optional;
import dev.rollout.local.aws.VersionBehaviour;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;

/**
 * Builds the account a scenario starts in (the function with its tags, versions and their behaviour, the aliases,
 * the REST API or the Route 53 record and Regions in front of them if any, the alarms) and schedules the scenario's later changes to how versions behave.
 */
final class ScenarioWorld {
    private ScenarioWorld() {
    }

    /**
     * @param began when the scenario starts: its changes are timed from then
     * @return the scenario's DNS world, when it has one
     */
    static Optional<ScenarioDns> build(Scenario scenario, LocalAws aws, Instant began, ProgressReport progress) {
        String function = scenario.function();
        String functionArn = aws.lambda().addFunction(function);
        if (!scenario.tags().isEmpty()) {
            aws.lambda().tagResource(request -> request.resource(functionArn).tags(scenario.tags()));
        }
        // With the publish trigger the last version does not exist yet: publishing it starts the rollout.
        int existing = scenario.versions().size() - (scenario.trigger() == Scenario.Trigger.PUBLISH ? 1 : 0);
        for (int i = 0; i < existing; i++) {
            String version = aws.lambda().publishNewVersion(function);
            aws.traffic().setVersionBehaviour(function, version, scenario.versions().get(i));
        }
        aws.lambda().createAlias(request -> request.functionName(function).name(scenario.alias())
                .functionVersion(scenario.liveVersion())
                .routingConfig(AliasRoutingConfiguration.builder()
                        .additionalVersionWeights(scenario.extraRouting()).build()));
        scenario.aliases().forEach((name, version) -> aws.lambda().createAlias(request -> request
                .functionName(function).name(name).functionVersion(version)));
        scenario.api().ifPresent(api -> {
            aws.apiGateway().addRestApi(api.id(), api.name(), function, api.aliasVariable());
            api.deployments().forEach((id, errorRate) -> aws.apiGateway().addDeployment(api.id(), id, errorRate));
            aws.apiGateway().addStage(api.id(), api.stage(), api.liveDeployment(), api.variables());
        });
        for (Scenario.AlarmSpec alarm : scenario.alarms()) {
            aws.cloudWatch().putMetricAlarm(request -> request
                    .alarmName(alarm.name())
                    .namespace(alarm.namespace())
                    .metricName(alarm.metric())
                    .dimensions(alarm.dimensions().entrySet().stream()
                            .map(entry -> Dimension.builder().name(entry.getKey()).value(entry.getValue()).build())
                            .toList())
                    .statistic(alarm.statistic())
                    .comparisonOperator(alarm.comparison())
                    .threshold(alarm.threshold())
                    .period(alarm.periodSeconds())
                    .evaluationPeriods(alarm.evaluationPeriods())
                    .datapointsToAlarm(alarm.datapointsToAlarm())
                    .treatMissingData(alarm.treatMissingData()));
        }
        // Only this scenario's alarms: a fleet builds a thousand worlds in one account.
        aws.cloudWatch().evaluateAlarms(scenario.alarms().stream().map(Scenario.AlarmSpec::name).toList());
        Optional<ScenarioDns> dns = scenario.dns().map(spec -> ScenarioDns.build(scenario, aws, began, progress));
        for (Scenario.Change change : scenario.changes()) {
            aws.clock().schedule(began.plus(change.at()), () -> {
                aws.traffic().setVersionBehaviour(function, change.version(), change.behaviour());
                dns.ifPresent(regions -> regions.versionBehaves(change.version(), change.behaviour()));
                progress.note("Change", "version " + change.version() + " now fails " + percent(change.behaviour()));
            });
        }
        return dns;
    }

    private static String percent(VersionBehaviour behaviour) {
        // The latency too: a change may slow a version down without any error.
        return Math.round(behaviour.errorRate() * 1000) / 10.0 + "% of requests, in " + Math.round(behaviour.latencyMillis())
                + " ms";
    }
}
