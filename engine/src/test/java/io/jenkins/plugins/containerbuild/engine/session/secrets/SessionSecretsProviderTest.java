package io.jenkins.plugins.containerbuild.engine.session.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.session.secrets.proto.GetSecretRequest;
import io.jenkins.plugins.containerbuild.engine.session.secrets.proto.GetSecretResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSecretsProviderTest {
    @Test
    void sendsTheBytesThenZeroesThem() {
        List<byte[]> handedOut = new ArrayList<>();
        SecretSource src = new SecretSource() {
            @Override
            public byte[] read() {
                byte[] b = "the-value".getBytes(StandardCharsets.UTF_8);
                handedOut.add(b);
                return b;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        List<byte[]> sent = new ArrayList<>();
        Throwable[] error = new Throwable[1];
        new SecretsProvider(Map.of("tok", src))
                .getSecret(GetSecretRequest.newBuilder().setID("tok").build(), new StreamObserver<>() {
                    @Override
                    public void onNext(GetSecretResponse value) {
                        sent.add(value.getData().toByteArray());
                    }

                    @Override
                    public void onError(Throwable t) {
                        error[0] = t;
                    }

                    @Override
                    public void onCompleted() {}
                });
        assertThat(error[0]).isNull();
        assertThat(new String(sent.get(0), StandardCharsets.UTF_8)).isEqualTo("the-value");
        assertThat(handedOut).hasSize(1);
        assertThat(handedOut.get(0)).containsOnly(0);
    }

    @Test
    void unknownIdIsNotFoundNamingTheId() {
        Throwable[] error = new Throwable[1];
        new SecretsProvider(Map.of())
                .getSecret(GetSecretRequest.newBuilder().setID("nope").build(), new StreamObserver<>() {
                    @Override
                    public void onNext(GetSecretResponse value) {}

                    @Override
                    public void onError(Throwable t) {
                        error[0] = t;
                    }

                    @Override
                    public void onCompleted() {}
                });
        Status s = Status.fromThrowable(error[0]);
        assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(s.getDescription()).contains("nope");
    }
}
