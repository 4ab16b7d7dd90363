package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The agent side of the ssh-agent protocol (draft-miller-ssh-agent): REQUEST_IDENTITIES is answered with
 * IDENTITIES_ANSWER, SIGN_REQUEST with SIGN_RESPONSE (or FAILURE when the key is not ours or cannot sign),
 * anything else with FAILURE. {@link #feed(byte[])} takes the stream's bytes in chunks of any size and
 * returns the framed answers to the messages completed so far. One instance per agent connection; not
 * thread safe.
 */
public final class AgentProtocol {
    public static final int SSH_AGENT_FAILURE = 5;
    public static final int SSH_AGENTC_REQUEST_IDENTITIES = 11;
    public static final int SSH_AGENT_IDENTITIES_ANSWER = 12;
    public static final int SSH_AGENTC_SIGN_REQUEST = 13;
    public static final int SSH_AGENT_SIGN_RESPONSE = 14;
    public static final int SSH_AGENT_RSA_SHA2_256 = 2;
    public static final int SSH_AGENT_RSA_SHA2_512 = 4;
    /** The largest message accepted, as OpenSSH's agent does. */
    public static final int MAX_MESSAGE = 256 * 1024;

    private final List<SshIdentity> identities;
    private byte[] pending = new byte[0];

    public AgentProtocol(List<SshIdentity> identities) {
        this.identities = List.copyOf(identities);
    }

    /**
     * Adds bytes received from the client; returns the framed answers (uint32 length + message) for every
     * message now complete, concatenated (empty when none is complete yet).
     *
     * @throws IllegalArgumentException when a message announces more than {@link #MAX_MESSAGE} bytes
     */
    public byte[] feed(byte[] chunk) {
        byte[] buf = Arrays.copyOf(pending, pending.length + chunk.length);
        System.arraycopy(chunk, 0, buf, pending.length, chunk.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (buf.length - pos >= 4) {
            long len = ((buf[pos] & 0xffL) << 24)
                    | ((buf[pos + 1] & 0xff) << 16)
                    | ((buf[pos + 2] & 0xff) << 8)
                    | (buf[pos + 3] & 0xff);
            if (len > MAX_MESSAGE) {
                throw new IllegalArgumentException("ssh-agent message of " + len + " bytes exceeds " + MAX_MESSAGE);
            }
            if (buf.length - pos - 4 < len) {
                break;
            }
            byte[] message = Arrays.copyOfRange(buf, pos + 4, pos + 4 + (int) len);
            pos += 4 + (int) len;
            byte[] answer = handle(message);
            out.writeBytes(new SshWire.Writer().string(answer).bytes());
        }
        pending = Arrays.copyOfRange(buf, pos, buf.length);
        return out.toByteArray();
    }

    /** True when a partial message is waiting for more bytes. */
    public boolean hasPartialMessage() {
        return pending.length > 0;
    }

    /** Answers one unframed message (type byte + body) with one unframed message. */
    public byte[] handle(byte[] message) {
        if (message.length == 0) {
            return failure();
        }
        try {
            SshWire.Reader r = new SshWire.Reader(message);
            int type = r.u8();
            switch (type) {
                case SSH_AGENTC_REQUEST_IDENTITIES:
                    return identitiesAnswer();
                case SSH_AGENTC_SIGN_REQUEST: {
                    byte[] keyBlob = r.string();
                    byte[] data = r.string();
                    int flags = r.remaining() >= 4 ? (int) r.u32() : 0;
                    for (SshIdentity id : identities) {
                        if (Arrays.equals(id.publicKeyBlob(), keyBlob)) {
                            byte[] signature = id.sign(data, flags);
                            return new SshWire.Writer()
                                    .u8(SSH_AGENT_SIGN_RESPONSE)
                                    .string(signature)
                                    .bytes();
                        }
                    }
                    return failure();
                }
                default:
                    return failure();
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return failure();
        }
    }

    private byte[] identitiesAnswer() {
        SshWire.Writer w = new SshWire.Writer().u8(SSH_AGENT_IDENTITIES_ANSWER).u32(identities.size());
        for (SshIdentity id : identities) {
            w.string(id.publicKeyBlob()).string(id.comment());
        }
        return w.bytes();
    }

    private static byte[] failure() {
        return new byte[] {SSH_AGENT_FAILURE};
    }
}
