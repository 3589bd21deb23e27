package dev.rollout.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;

/**
 * Sends the scenario's requests once a simulated minute while the rollout runs: from DNS clients to the Regions when
 * it has a Route 53 record, through its API's stage when it has one, else through the alias and each further alias
 * (each environment of a chain).
 */
final class ScenarioTraffic {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private ScenarioTraffic() {
    }

    /** The first minute of traffic ends a minute after {@code from}; alarms are evaluated after each. */
    static void schedule(Scenario scenario, LocalAws aws, Instant from, ExecutionHandle execution,
                         Optional<ScenarioDns> dns) {
        aws.clock().schedule(from.plus(MINUTE), new Runnable() {
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
                skipSteadyMinutes(scenario, aws, dns);
                aws.clock().after(MINUTE, this);
            }
        });
    }

    /** The scenario's alias, then each further alias (each environment of a chain): the aliases it invokes. */
    private static List<String> withFurtherAliases(Scenario scenario) {
        List<String> aliases = new ArrayList<>(List.of(scenario.alias()));
        aliases.addAll(scenario.aliases().keySet());
        return aliases;
    }

    /**
     * Sends the minutes before the clock's next event at once, when the traffic of the alias and each further alias,
     * of the API's stage or of the Regions behind the Route 53 record is steady and no alarm can change state
     * meanwhile: nothing else happens in those minutes, so their traffic and alarm evaluations change nothing anyone
     * could see before the event (a year-long bake costs no wall time).
     */
    private static void skipSteadyMinutes(Scenario scenario, LocalAws aws, Optional<ScenarioDns> dns) {
        Optional<Instant> next = aws.clock().nextEventAt();
        if (next.isEmpty()) {
            return;
        }
        // The minutes strictly before the next event: one due at the same time as a minute runs before it.
        long minutes = (Duration.between(aws.clock().instant(), next.get()).toNanos() - 1) / MINUTE.toNanos();
        if (minutes < 1) {
            return;
        }
        if (dns.isPresent()) {
            dns.get().continueSteadily(scenario.requestsPerMinute(), minutes).ifPresent(aws.clock()::skipTo);
            return;
        }
        scenario.api().map(api -> aws.apiGateway().continueSteadily(api.id(), api.stage(),
                        scenario.requestsPerMinute(), MINUTE, minutes))
                .orElseGet(() -> aws.traffic().continueSteadily(scenario.function(), withFurtherAliases(scenario),
                        scenario.requestsPerMinute(), MINUTE, minutes))
                .ifPresent(aws.clock()::skipTo);
    }
}
