package dev.rollout.local.aws;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Makes the next calls of an operation fail, so callers' retry and error handling can be tested.
 * Faults queue up in the order they were planned; each call of the operation takes the next one.
 * Every call is counted, failed or not, so tests can assert how many attempts a caller made.
 * Faults can also strike only the calls one function makes ({@link #failCallsBy}), and the functions that call each
 * operation can be recorded ({@link #recordCallers}): what the fault matrix is built from.
 */
public final class FaultInjector {

    private final Set<String> operations;
    private final Map<String, Deque<Supplier<? extends RuntimeException>>> planned = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final Map<String, Integer> lostResponses = new HashMap<>();
    private RequestRates rates;
    private String service;
    private Supplier<? extends RuntimeException> throttled;
    /** Faults that strike only the calls of one function, by operation. */
    private final Map<String, List<CallerFault>> byCaller = new HashMap<>();
    /** Which functions called which operations, by function, when recording. */
    private Map<String, Set<String>> callers;

    /** The calls of {@code operation} by {@code function} fail {@code remaining} more times, or always. */
    private static final class CallerFault {
        final String function;
        final Supplier<? extends RuntimeException> fault;
        final boolean loseResponse;
        int remaining;

        CallerFault(String function, int remaining, Supplier<? extends RuntimeException> fault, boolean loseResponse) {
            this.function = function;
            this.remaining = remaining;
            this.fault = fault;
            this.loseResponse = loseResponse;
        }
    }

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

    /**
     * The next {@code times} successful calls of {@code operation} do their work, but their response is lost on the
     * way back, so the SDK sends the same request again (its retry on a timeout or a connection reset): the caller
     * sees the outcome of the re-sent request, which finds the work already done.
     */
    public synchronized void loseNextResponses(String operation, int times) {
        requireKnown(operation);
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        lostResponses.merge(operation, times, Integer::sum);
    }

    /**
     * The next {@code times} calls of {@code operation} that {@code function} makes (the handler class's simple name,
     * e.g. {@code Rollback}; see {@link CallingFunction}) throw a fresh exception from {@code fault}; the calls other
     * functions make go through. {@code times} {@link Integer#MAX_VALUE} means every call, for good.
     */
    public synchronized void failCallsBy(String function, String operation, int times,
                                         Supplier<? extends RuntimeException> fault) {
        requireKnown(operation);
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        byCaller.computeIfAbsent(operation, k -> new ArrayList<>()).add(new CallerFault(function, times, fault, false));
    }

    /**
     * As {@link #loseNextResponses}, for the next {@code times} successful calls of {@code operation} that
     * {@code function} makes through a {@link #resending} view.
     */
    public synchronized void loseResponsesTo(String function, String operation, int times) {
        requireKnown(operation);
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        byCaller.computeIfAbsent(operation, k -> new ArrayList<>()).add(new CallerFault(function, times, null, true));
    }

    /** From now on, notes which function makes each call (see {@link #callers()}); costs a stack walk per call. */
    public synchronized void recordCallers() {
        if (callers == null) {
            callers = new TreeMap<>();
        }
    }

    /** The operations each function has called since {@link #recordCallers}, by the function's name. */
    public synchronized Map<String, Set<String>> callers() {
        Map<String, Set<String>> copy = new TreeMap<>();
        if (callers != null) {
            callers.forEach((function, operations) -> copy.put(function, Set.copyOf(operations)));
        }
        return copy;
    }

    /** The incident ends: faults planned for {@code operation} that have not struck yet are dropped. */
    public synchronized void recover(String operation) {
        requireKnown(operation);
        planned.remove(operation);
        lostResponses.remove(operation);
        byCaller.remove(operation);
    }

    /**
     * {@code service} as its callers see it through the SDK interface {@code api}: a call whose response this injector
     * loses ({@link #loseNextResponses}, {@link #loseResponsesTo}) is sent again, as the SDK re-sends a request
     * whose response never came, and the caller gets the second answer. The first one took effect.
     */
    public <T> T resending(Class<T> api, T service) {
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (proxy, method, args) -> {
            Object answer = call(service, method, args);
            String operation = operationOf(method);
            if (operations.contains(operation) && responseLost(operation)) {
                try {
                    return call(service, method, args);
                } catch (SdkException refused) {
                    // The SDK counts the attempts of the request on the error it ends with.
                    throw refused.toBuilder().numAttempts(2).build();
                }
            }
            return answer;
        }));
    }

    private static Object call(Object service, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(service, args);
        } catch (InvocationTargetException thrown) {
            throw thrown.getCause();
        }
    }

    /** The API name of an SDK client method: {@code updateAlias} is {@code UpdateAlias}. */
    private static String operationOf(Method method) {
        String name = method.getName();
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
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
        List<CallerFault> scoped = byCaller.get(operation);
        if (callers != null || scoped != null) {
            Optional<String> caller = CallingFunction.current();
            if (callers != null) {
                callers.computeIfAbsent(caller.orElse(CallingFunction.NONE), k -> new TreeSet<>()).add(operation);
            }
            Optional<CallerFault> strike = caller.flatMap(function -> take(scoped, function, false));
            if (strike.isPresent()) {
                throw strike.get().fault.get();
            }
        }
        Deque<Supplier<? extends RuntimeException>> queue = planned.get(operation);
        if (queue != null && !queue.isEmpty()) {
            throw queue.poll().get();
        }
        if (rates != null) {
            rates.admit(service, operation, throttled);
        }
    }

    /**
     * Whether the response of the call of {@code operation} that just succeeded is lost, so that the service must
     * handle the request again as the SDK's re-sent attempt (counted as a call).
     */
    synchronized boolean responseLost(String operation) {
        requireKnown(operation);
        Integer lost = lostResponses.get(operation);
        if (lost == null) {
            List<CallerFault> scoped = byCaller.get(operation);
            return scoped != null && CallingFunction.current().flatMap(function -> take(scoped, function, true))
                    .isPresent();
        }
        if (lost == 1) {
            lostResponses.remove(operation);
        } else {
            lostResponses.put(operation, lost - 1);
        }
        return true;
    }

    /** The first of {@code scoped} for {@code function} of the kind asked for, counted down; empty if none is left. */
    private static Optional<CallerFault> take(List<CallerFault> scoped, String function, boolean loseResponse) {
        if (scoped == null) {
            return Optional.empty();
        }
        for (CallerFault fault : scoped) {
            if (fault.function.equals(function) && fault.loseResponse == loseResponse && fault.remaining > 0) {
                if (fault.remaining != Integer.MAX_VALUE) {
                    fault.remaining--;
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    private void requireKnown(String operation) {
        if (!operations.contains(operation)) {
            throw new IllegalArgumentException(
                    "operation must be one of " + new TreeSet<>(operations) + ", got " + operation);
        }
    }
}
