package io.jenkins.plugins.containerbuild.engine.session.auth;

import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.session.GrpcMethods;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.CredentialsRequest;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.CredentialsResponse;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.FetchTokenRequest;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.FetchTokenResponse;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.GetTokenAuthorityRequest;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.GetTokenAuthorityResponse;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.VerifyTokenAuthorityRequest;
import io.jenkins.plugins.containerbuild.engine.session.auth.proto.VerifyTokenAuthorityResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code moby.filesync.v1.Auth}: registry credentials by host. {@code Credentials} answers the user name
 * and secret for a known host and an empty response (anonymous) for any other; the token methods answer
 * UNIMPLEMENTED, which makes the daemon fall back to {@code Credentials}.
 */
public final class AuthProvider implements SessionProvider {
    public static final String SERVICE = "moby.filesync.v1.Auth";
    public static final MethodDescriptor<CredentialsRequest, CredentialsResponse> CREDENTIALS = GrpcMethods.unary(
            SERVICE, "Credentials", CredentialsRequest.getDefaultInstance(), CredentialsResponse.getDefaultInstance());
    public static final MethodDescriptor<FetchTokenRequest, FetchTokenResponse> FETCH_TOKEN = GrpcMethods.unary(
            SERVICE, "FetchToken", FetchTokenRequest.getDefaultInstance(), FetchTokenResponse.getDefaultInstance());
    public static final MethodDescriptor<GetTokenAuthorityRequest, GetTokenAuthorityResponse> GET_TOKEN_AUTHORITY =
            GrpcMethods.unary(
                    SERVICE,
                    "GetTokenAuthority",
                    GetTokenAuthorityRequest.getDefaultInstance(),
                    GetTokenAuthorityResponse.getDefaultInstance());
    public static final MethodDescriptor<VerifyTokenAuthorityRequest, VerifyTokenAuthorityResponse>
            VERIFY_TOKEN_AUTHORITY = GrpcMethods.unary(
                    SERVICE,
                    "VerifyTokenAuthority",
                    VerifyTokenAuthorityRequest.getDefaultInstance(),
                    VerifyTokenAuthorityResponse.getDefaultInstance());

    /** Host names the daemon uses for Docker Hub, all answered by credentials given for any of them. */
    private static final List<String> DOCKER_HUB =
            List.of("registry-1.docker.io", "docker.io", "index.docker.io", "https://index.docker.io/v1/");

    private final Map<String, RegistryCredentials> byHost = new LinkedHashMap<>();

    public AuthProvider(Map<String, RegistryCredentials> registryAuth) {
        registryAuth.values().forEach(c -> byHost.put(c.host().toLowerCase(Locale.ROOT), c));
    }

    @Override
    public ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(CREDENTIALS, ServerCalls.asyncUnaryCall(this::credentials))
                .addMethod(FETCH_TOKEN, ServerCalls.asyncUnaryCall((r, o) -> unimplemented(o, "FetchToken")))
                .addMethod(
                        GET_TOKEN_AUTHORITY,
                        ServerCalls.asyncUnaryCall((r, o) -> unimplemented(o, "GetTokenAuthority")))
                .addMethod(
                        VERIFY_TOKEN_AUTHORITY,
                        ServerCalls.asyncUnaryCall((r, o) -> unimplemented(o, "VerifyTokenAuthority")))
                .build();
    }

    /** Only Credentials is advertised; the token methods are served (as UNIMPLEMENTED) but not listed. */
    @Override
    public List<String> methodNames() {
        return List.of("/" + CREDENTIALS.getFullMethodName());
    }

    /** The credentials for a registry host as the daemon names it, or null (anonymous). */
    RegistryCredentials lookup(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        RegistryCredentials c = byHost.get(h);
        if (c == null && DOCKER_HUB.contains(h)) {
            for (String alias : DOCKER_HUB) {
                c = byHost.get(alias);
                if (c != null) {
                    break;
                }
            }
        }
        return c;
    }

    void credentials(CredentialsRequest request, StreamObserver<CredentialsResponse> response) {
        RegistryCredentials c = lookup(request.getHost());
        if (c == null) {
            response.onNext(CredentialsResponse.getDefaultInstance());
            response.onCompleted();
            return;
        }
        byte[] secret;
        try {
            secret = c.password().read();
        } catch (IOException | RuntimeException e) {
            response.onError(Status.UNAVAILABLE
                    .withDescription("registry password for " + c.username() + "@" + c.host()
                            + " could not be read from " + c.password().describe())
                    .asRuntimeException());
            return;
        }
        try {
            response.onNext(CredentialsResponse.newBuilder()
                    .setUsername(c.username())
                    .setSecretBytes(UnsafeByteOperations.unsafeWrap(secret))
                    .build());
            response.onCompleted();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static <R extends Message> void unimplemented(StreamObserver<R> response, String method) {
        response.onError(Status.UNIMPLEMENTED
                .withDescription(method + " is not supported; use Credentials")
                .asRuntimeException());
    }
}
