package dev.rollout.local.aws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Makes the next calls of an operation fail, so callers' retry and error handling can be tested.
 * Faults queue up in the order they were planned; each call of the operation takes the next one.
 * Every call is counted, failed or not, so tests can assert how many attempts a caller made.
 */
public final class FaultInjector {

    private final Set<String> operations;
    private final Map<String, Deque<Supplier<? extends RuntimeException>>> planned = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private RequestRates rates;
    private String service;
    private Supplier<? extends RuntimeException> throttled;

    FaultInjector(Set<String> operations) {
        this.operations = Set.copyOf(operations);
    }

    /**
     * The next {@code times} calls of {@code operation} (its AWS API name, e.g. {@code UpdateAlias}) throw a fresh
     * exception from {@code fault}, after any faults already planned for it.
     */
    public synchronized void failNext(String operation, int times, Supplier<? extends RuntimeException> fault) {
        requireKnown(operation);
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        Deque<Supplier<? extends RuntimeException>> queue = planned.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
    }

    /** The operations whose calls can be made to fail, by their AWS API names. */
    public Set<String> operations() {
        return operations;
    }

    /** How many times {@code operation} has been called, including calls that failed. */
    public synchronized int calls(String operation) {
        requireKnown(operation);
        return calls.getOrDefault(operation, 0);
    }

    /**
     * Counts every later call against the account's request rates, which throttle with {@code throttled} (the
     * service's own throttling error) once its quotas are enforced.
     *
     * @param service the service's endpoint prefix, e.g. {@code lambda}
     */
    public synchronized void meter(RequestRates rates, String service, Supplier<? extends RuntimeException> throttled) {
        this.rates = rates;
        this.service = service;
        this.throttled = throttled;
    }

    /**
     * Counts a call of {@code operation} and throws its next planned fault, if any; then, if metered, throws the
     * throttling error when the call exceeds its quota.
     */
    synchronized void enter(String operation) {
        requireKnown(operation);
        calls.merge(operation, 1, Integer::sum);
        Deque<Supplier<? extends RuntimeException>> queue = planned.get(operation);
        if (queue != null && !queue.isEmpty()) {
            throw queue.poll().get();
        }
        if (rates != null) {
            rates.admit(service, operation, throttled);
        }
    }

    private void requireKnown(String operation) {
        if (!operations.contains(operation)) {
            throw new IllegalArgumentException(
                    "operation must be one of " + new TreeSet<>(operations) + ", got " + operation);
        }
    }
}
