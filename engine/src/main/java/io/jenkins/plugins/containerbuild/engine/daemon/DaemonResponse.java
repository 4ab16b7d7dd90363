package io.jenkins.plugins.containerbuild.engine.daemon;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.Closeable;
import java.io.InputStream;

/** A streaming answer of the daemon; closing it aborts the request (how a running build is cut off). */
public final class DaemonResponse implements Closeable {
    private final DockerHttpClient.Response response;

    DaemonResponse(DockerHttpClient.Response response) {
        this.response = response;
    }

    /** The answer's body, read as it arrives. */
    public InputStream body() {
        return response.getBody();
    }

    @Override
    public void close() {
        response.close();
    }
}
