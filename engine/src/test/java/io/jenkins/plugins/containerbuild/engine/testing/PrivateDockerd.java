package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A dockerd this test owns, of the same release and image store as the run's daemon ({@code CB_TEST_DAEMON}): its
 * own data root (optionally a small tmpfs, to fill up), exec root, unix socket, cgroup parent and bridge, so that a
 * test may kill it or fill its disk without touching the daemons the scripts started. {@link #kill()} sends SIGKILL,
 * {@link #start()} starts it again on the same data root.
 */
public final class PrivateDockerd implements KillableBuilder {
    /** Its own bridge: BuildKit's RUN steps need one, and {@code --bridge=none} would delete docker0. */
    private static final String BRIDGE = "cbfault0";

    private static final String BRIDGE_CIDR = "172.31.250.1/24";

    private final Path dir;
    private final Path dataRoot;
    private final Path execRoot;
    private final Path socket;
    private final String tmpfsSize;
    private final OwnedProcess process;

    private PrivateDockerd(Path dir, String tmpfsSize) {
        this.dir = dir;
        this.dataRoot = dir.resolve("data");
        this.execRoot = Path.of("/run", "cb-f-" + UUID.randomUUID().toString().substring(0, 8));
        this.socket = dir.resolve("docker.sock");
        this.tmpfsSize = tmpfsSize;
        this.process = new OwnedProcess("the private dockerd", dir.resolve("dockerd.log"));
    }

    /**
     * Starts one in {@code dir}; fails when it does not answer within 60 s.
     *
     * @param tmpfsSize the size of a tmpfs mounted as its data root (e.g. {@code 96m}), or null for a plain directory
     */
    public static PrivateDockerd start(Path dir, String tmpfsSize) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        PrivateDockerd d = new PrivateDockerd(dir, tmpfsSize);
        try {
            d.prepare();
            d.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    /** Its data root. */
    public Path dataRoot() {
        return dataRoot;
    }

    public DaemonEndpoint endpoint() {
        return DaemonEndpoint.of("unix://" + socket, null);
    }

    @Override
    public BuildEngine engine(Path historyFile) {
        return BuildEngine.builder()
                .endpoint(endpoint())
                .backend(Backend.BUILDKIT)
                .historyFile(historyFile)
                .build();
    }

    /** The docker CLI of the run's release, pointed at this daemon. */
    public List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(dockerCli(), "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void prepare() throws IOException, InterruptedException {
        Files.createDirectories(dataRoot);
        if (tmpfsSize != null) {
            run("mount", "-t", "tmpfs", "-o", "size=" + tmpfsSize, "cb-fault-tmpfs", dataRoot.toString());
        }
        if (run("ip", "link", "show", BRIDGE) != 0) {
            run("ip", "link", "add", BRIDGE, "type", "bridge");
            run("ip", "addr", "add", BRIDGE_CIDR, "dev", BRIDGE);
            run("ip", "link", "set", BRIDGE, "up");
        }
        boolean containerdStore = "dockerd-26-containerd".equals(System.getenv("CB_TEST_DAEMON"));
        Files.writeString(
                dir.resolve("daemon.json"), "{\"features\": {\"containerd-snapshotter\": " + containerdStore + "}}\n");
    }

    /** Starts the process (again) and waits until it answers. */
    public void start() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        List<String> cmd = new ArrayList<>(List.of(
                dockerd().toString(),
                "--host",
                "unix://" + socket,
                "--data-root",
                dataRoot.toString(),
                "--exec-root",
                execRoot.toString(),
                "--pidfile",
                dir.resolve("dockerd.pid").toString(),
                "--bridge=" + BRIDGE,
                "--iptables=false",
                "--ip6tables=false",
                "--ip-masq=false",
                "--ip-forward=false",
                "--cgroup-parent=container-build-fault"));
        if (dockerd().startsWith("/usr/")) {
            cmd.add("--storage-driver=overlay2"); // dockerd 20.10 reads no daemon.json features
        } else {
            cmd.addAll(List.of("--config-file", dir.resolve("daemon.json").toString()));
            if (!"dockerd-26-containerd".equals(System.getenv("CB_TEST_DAEMON"))) {
                cmd.add("--storage-driver=overlay2");
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", binPath());
        process.start(pb, () -> OwnedProcess.run(List.of(dockerCli(), "-H", "unix://" + socket, "version")) == 0);
    }

    @Override
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** Stops it, kills what a kill left, unmounts what lies under its roots and removes them. */
    @Override
    public void close() {
        process.stop();
        try {
            Leftovers.remove(execRoot);
            Leftovers.remove(dir);
            run("ip", "link", "delete", BRIDGE);
        } catch (IOException e) {
            // best effort: a test's temporary daemon
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The dockerd of the run's release: Debian's 20.10, or the private 26.1 the scripts unpacked. */
    private static Path dockerd() {
        Path cli = Path.of(dockerCli());
        if (cli.toString().equals("/usr/bin/docker")) {
            return Path.of("/usr/sbin/dockerd");
        }
        return cli.getParent().getParent().resolve("sbin/dockerd");
    }

    private static String dockerCli() {
        String cli = System.getenv("CB_TEST_DOCKER_CLI");
        return cli == null ? "/usr/bin/docker" : cli;
    }

    /** The release's containerd, runc and docker-init come first. */
    private static String binPath() {
        Path usr = dockerd().getParent().getParent();
        return usr.resolve("bin") + ":" + usr.resolve("sbin") + ":/usr/sbin:/usr/bin:/sbin:/bin";
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        return OwnedProcess.run(List.of(cmd));
    }
}
