package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process agent's protocol: framing over arbitrary chunks, identities, signatures, failures. */
class SessionAgentProtocolTest {
    private static TestKeys.Ed25519Key ed;
    private static KeyPair rsa;
    private static SshIdentity edId;
    private static SshIdentity rsaId;

    @BeforeAll
    static void keys() throws Exception {
        ed = TestKeys.ed25519();
        rsa = TestKeys.rsa(2048);
        edId = SshKeyLoader.load("ed", ed.openSsh(), null);
        rsaId = SshKeyLoader.load("rsa", TestKeys.pem(rsa), null);
    }

    /** Feeds bytes in chunks of the given size and collects the answers. */
    private static byte[] feedInChunks(AgentProtocol agent, byte[] stream, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < stream.length; i += chunk) {
            out.writeBytes(agent.feed(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + chunk))));
        }
        return out.toByteArray();
    }

    @Test
    void requestIdentitiesListsEveryKeyWithItsBlob() throws Exception {
        AgentProtocol agent = new AgentProtocol(List.of(edId, rsaId));
        byte[] answer = agent.feed(new byte[] {0, 0, 0, 1, 11});
        List<byte[]> messages = TestKeys.unframe(answer);
        assertThat(messages).hasSize(1);
        ByteBuffer b = ByteBuffer.wrap(messages.get(0));
        assertThat(b.get()).isEqualTo((byte) 12);
        assertThat(b.getInt()).isEqualTo(2);
        byte[] blob1 = new byte[b.getInt()];
        b.get(blob1);
        byte[] comment1 = new byte[b.getInt()];
        b.get(comment1);
        byte[] blob2 = new byte[b.getInt()];
        b.get(blob2);
        assertThat(blob1).isEqualTo(ed.publicBlob());
        assertThat(new String(comment1, StandardCharsets.UTF_8)).isEqualTo("container-build:ed");
        assertThat(blob2).isEqualTo(TestKeys.publicBlob(rsa.getPublic()));
    }

    @Test
    void signRequestsAnswerVerifiableSignaturesWhateverTheChunking() throws Exception {
        byte[] data = "session-id and user auth data".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        requests.writeBytes(TestKeys.signRequest(ed.publicBlob(), data, 0));
        byte[] rsaBlob = TestKeys.publicBlob(rsa.getPublic());
        requests.writeBytes(TestKeys.signRequest(rsaBlob, data, 0));
        requests.writeBytes(TestKeys.signRequest(rsaBlob, data, AgentProtocol.SSH_AGENT_RSA_SHA2_256));
        requests.writeBytes(TestKeys.signRequest(rsaBlob, data, AgentProtocol.SSH_AGENT_RSA_SHA2_512));
        for (int chunk : new int[] {1, 3, 7, 100, 32 * 1024}) {
            AgentProtocol agent = new AgentProtocol(List.of(edId, rsaId));
            List<byte[]> answers = TestKeys.unframe(feedInChunks(agent, requests.toByteArray(), chunk));
            assertThat(answers).as("chunk %d", chunk).hasSize(4);
            assertThat(agent.hasPartialMessage()).isFalse();
            String[] algs = {"ssh-ed25519", "ssh-rsa", "rsa-sha2-256", "rsa-sha2-512"};
            Object[] keys = {ed.publicKey(), rsa.getPublic(), rsa.getPublic(), rsa.getPublic()};
            for (int i = 0; i < 4; i++) {
                ByteBuffer b = ByteBuffer.wrap(answers.get(i));
                assertThat(b.get()).isEqualTo((byte) 14);
                byte[] sig = new byte[b.getInt()];
                b.get(sig);
                assertThat(TestKeys.parseSignature(sig)[0]).isEqualTo(algs[i]);
                assertThat(TestKeys.verify(keys[i], data, sig)).as(algs[i]).isTrue();
                byte[] other = "other data".getBytes(StandardCharsets.UTF_8);
                assertThat(TestKeys.verify(keys[i], other, sig))
                        .as(algs[i] + " over other data")
                        .isFalse();
            }
        }
    }

    @Test
    void ecdsaKeysSignWithTheCurvesHash() throws Exception {
        for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
            KeyPair kp = TestKeys.ec(curve);
            SshIdentity id = SshKeyLoader.load("ec", TestKeys.pem(kp), null);
            assertThat(id.keyType()).startsWith("ecdsa-sha2-nistp");
            assertThat(id.publicKeyBlob()).isEqualTo(TestKeys.publicBlob(kp.getPublic()));
            byte[] data = ("data for " + curve).getBytes(StandardCharsets.UTF_8);
            AgentProtocol agent = new AgentProtocol(List.of(id));
            byte[] answer = TestKeys.unframe(agent.feed(TestKeys.signRequest(id.publicKeyBlob(), data, 0)))
                    .get(0);
            assertThat(answer[0]).isEqualTo((byte) 14);
            byte[] sig = Arrays.copyOfRange(answer, 5, answer.length);
            assertThat(TestKeys.verify(kp.getPublic(), data, sig)).as(curve).isTrue();
        }
    }

    @Test
    void unknownKeysUnknownMessagesAndGarbageGetFailure() throws Exception {
        AgentProtocol agent = new AgentProtocol(List.of(edId));
        byte[] notOurs = TestKeys.publicBlob(rsa.getPublic());
        byte[] stream = concat(
                TestKeys.signRequest(notOurs, new byte[] {1}, 0), // key not held
                TestKeys.frame(new byte[] {17, 0, 0, 0, 0}), // ADD_IDENTITY: refused
                TestKeys.frame(new byte[] {27, 0, 0, 0, 1, 'x'}), // EXTENSION
                TestKeys.frame(new byte[] {13, 0, 0, 0, 9}), // truncated SIGN_REQUEST
                TestKeys.frame(new byte[0])); // empty message
        List<byte[]> answers = TestKeys.unframe(agent.feed(stream));
        assertThat(answers).hasSize(5).allSatisfy(a -> assertThat(a).containsExactly(5));
    }

    @Test
    void partialMessagesWaitAndOversizedOnesAreRefused() {
        AgentProtocol agent = new AgentProtocol(List.of(edId));
        assertThat(agent.feed(new byte[] {0, 0, 0})).isEmpty();
        assertThat(agent.hasPartialMessage()).isTrue();
        assertThat(TestKeys.unframe(agent.feed(new byte[] {1, 11}))).hasSize(1);
        assertThat(agent.hasPartialMessage()).isFalse();
        assertThatThrownBy(() -> new AgentProtocol(List.of()).feed(new byte[] {0, 0x10, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds");
        byte[] none = TestKeys.unframe(new AgentProtocol(List.of()).feed(new byte[] {0, 0, 0, 1, 11}))
                .get(0);
        assertThat(none).containsExactly(12, 0, 0, 0, 0);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
