package dev.rollout.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;

/** A function's JVM builds each SDK client once, however many of its steps and adapters ask for it. */
class SharedClientsTest {

    /** Stands for an SDK client: what Clients hands out is any SdkClient. */
    private record Built(int number) implements SdkClient {
        @Override
        public String serviceName() {
            return "built-" + number;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aClientAskedForTwiceIsBuiltOnceAndHandedOutBothTimes() {
        AtomicInteger builds = new AtomicInteger();
        Built first = Clients.shared("shared-clients-test:once", Built.class, () -> new Built(builds.incrementAndGet()));
        Built second = Clients.shared("shared-clients-test:once", Built.class, () -> new Built(builds.incrementAndGet()));

        assertSame(first, second);
        assertEquals(1, builds.get());
    }

    @Test
    void clientsUnderDifferentKeysAreDifferentClients() {
        AtomicInteger builds = new AtomicInteger();
        Built metrics = Clients.shared("shared-clients-test:cloudwatch", Built.class, () -> new Built(builds.incrementAndGet()));
        Built elsewhere = Clients.shared("shared-clients-test:cloudwatch:us-east-1", Built.class,
                () -> new Built(builds.incrementAndGet()));

        assertNotSame(metrics, elsewhere);
        assertEquals(2, builds.get());
    }
}
