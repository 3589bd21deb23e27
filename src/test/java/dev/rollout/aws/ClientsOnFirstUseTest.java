package dev.rollout.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;

class ClientsOnFirstUseTest {
    /** A client interface of the SDK's kind, with one operation. */
    interface Greeter extends SdkClient {
        String greet(String who);
    }

    private final AtomicInteger builds = new AtomicInteger();

    private Greeter greeter(RuntimeException failure) {
        builds.incrementAndGet();
        return new Greeter() {
            @Override
            public String greet(String who) {
                if (failure != null) {
                    throw failure;
                }
                return "hello " + who;
            }

            @Override
            public String serviceName() {
                return "greeter";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aClientIsBuiltAtItsFirstCallAndOnlyOnce() {
        Greeter client = Clients.onFirstUse(Greeter.class, () -> greeter(null));
        assertEquals(0, builds.get());
        assertEquals("hello ada", client.greet("ada"));
        assertEquals("hello bob", client.greet("bob"));
        assertEquals(1, builds.get());
    }

    @Test
    void buildAllBuildsTheClientsHandedOutSoThatASnapshotHoldsThemBuilt() {
        Greeter client = Clients.onFirstUse(Greeter.class, () -> greeter(null));
        Clients.buildAll();
        assertEquals(1, builds.get());
        client.greet("ada");
        assertEquals(1, builds.get());
    }

    @Test
    void whatTheClientThrowsReachesTheCallerUnwrapped() {
        SdkClientException refused = SdkClientException.create("unable to connect");
        Greeter client = Clients.onFirstUse(Greeter.class, () -> greeter(refused));
        assertSame(refused, assertThrows(SdkClientException.class, () -> client.greet("ada")));
    }
}
