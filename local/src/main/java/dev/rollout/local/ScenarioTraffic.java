package dev.rollout.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;

/**
 * Sends the scenario's requests once a simulated minute while the rollout runs: from DNS clients to the Regions when
 * it has a Route 53 record, through its API's stage when it has one, else through the alias and each further alias
 * (each environment of a chain).
 */
final class ScenarioTraffic {
    private ScenarioTraffic() {
    }

    /** The first minute of traffic ends a minute after {@code from}; alarms are evaluated after each. */
    static void schedule(Scenario scenario, LocalAws aws, Instant from, ExecutionHandle execution,
                         Optional<ScenarioDns> dns) {
        aws.clock().schedule(from.plus(Duration.ofMinutes(1)), new Runnable() {
            @Override
            public void run() {
                if (execution.status() != ExecutionStatus.RUNNING) {
                    return;
                }
                if (dns.isPresent()) {
                    dns.get().minute(scenario.requestsPerMinute());
                } else {
                    scenario.api().ifPresentOrElse(
                            api -> aws.apiGateway().invokeStage(api.id(), api.stage(), scenario.requestsPerMinute()),
                            () -> {
                                aws.traffic().invokeAlias(scenario.function(), scenario.alias(),
                                        scenario.requestsPerMinute());
                                // Without an API in front, each further alias (an environment) has traffic of its own.
                                scenario.aliases().keySet().forEach(alias -> aws.traffic().invokeAlias(
                                        scenario.function(), alias, scenario.requestsPerMinute()));
                            });
                }
                aws.cloudWatch().evaluateAlarms();
                aws.clock().after(Duration.ofMinutes(1), this);
            }
        });
    }
}
