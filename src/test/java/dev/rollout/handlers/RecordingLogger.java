package dev.rollout.handlers;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps every line a handler logs, for tests that check what reaches the logs. */
final class RecordingLogger implements LambdaLogger {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void log(String message) {
        lines.add(message);
    }

    @Override
    public synchronized void log(byte[] message) {
        lines.add(new String(message, StandardCharsets.UTF_8));
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
