package dev.rollout.aws;

import java.util.Optional;
import dev.rollout.domain.Approval;

/**
 * A conditional write found the approval no longer as the caller last read it: someone decided it first, or it
 * expired meanwhile. Carries the record as it now stands, empty if it is gone.
 */
public final class ApprovalClosed extends RuntimeException {
    private final transient Optional<Approval> current;

    public ApprovalClosed(String message, Optional<Approval> current, Throwable cause) {
        super(message, cause);
        this.current = current;
    }

    public Optional<Approval> current() {
        return current;
    }
}
