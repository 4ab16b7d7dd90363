package io.jenkins.plugins.containerbuild.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Push errors as the daemons and BuildKit word them (the texts measured in faults/RegistryMisbehaves*Test). */
class PushErrorsTest {
    private static final String HOST = "127.0.0.1:37345";
    private static final String BK_500 = "failed to push 127.0.0.1:37345/cb-test/bk:1: failed commit on ref"
            + " \"manifest-sha256:290d22dd231ee8ece5c75e42ecc571aeedee0cf58d57a7886170e47cfedfbfb5\": unexpected status"
            + " from PUT request to http://127.0.0.1:37345/v2/cb-test/bk/manifests/1: 500 Internal Server Error";
    private static final String BK_CUT = "failed to push 127.0.0.1:37345/cb-test/bk:1: failed commit on ref"
            + " \"config-sha256:84ab35be0fcb8a70c4ec189c4d8a561d1adc007ea28d8dcde23fc9ec74ecefce\": failed to do request:"
            + " Put \"http://127.0.0.1:37345/v2/cb-test/bk/blobs/uploads/be8b98a6-4cf5?_state=Inl6mPYeg7_XSluCg%3D"
            + "&digest=sha256%3A84ab35be0fcb8a70c4ec189c4d8a561d1adc007ea28d8dcde23fc9ec74ecefce\": EOF";

    @Test
    void thePartComesFromTheCommitRefOrTheUrl() {
        assertThat(PushErrors.part(BK_500)).isEqualTo("the manifest upload");
        assertThat(PushErrors.part(BK_CUT)).isEqualTo("the upload of the image config (blob sha256:84ab35be0fcb)");
        assertThat(PushErrors.part("failed commit on ref \"layer-sha256:0123456789abcdef\": EOF"))
                .isEqualTo("the upload of layer sha256:0123456789ab");
        assertThat(PushErrors.part("Put \"http://h:1/v2/a/blobs/uploads/x\": EOF"))
                .isEqualTo("a blob upload");
        assertThat(PushErrors.part("received unexpected HTTP status: 500 Internal Server Error"))
                .isNull();
    }

    @Test
    void theStatusIsTheNumberOr401ForAnUnauthorizedAnswer() {
        assertThat(PushErrors.status(BK_500)).isEqualTo(500);
        assertThat(PushErrors.status("received unexpected HTTP status: 500 Internal Server Error"))
                .isEqualTo(500);
        assertThat(PushErrors.status("unauthorized")).isEqualTo(401);
        assertThat(PushErrors.status("failed commit on ref \"manifest-sha256:ab\": authorization failed: no basic"
                        + " auth credentials"))
                .isEqualTo(401);
        assertThat(PushErrors.status(BK_CUT))
                .as("no status in a cut connection")
                .isZero();
    }

    @Test
    void hintsSayWhatToDo() {
        assertThat(PushErrors.hint("unauthorized", HOST, false, "the daemon"))
                .isEqualTo("the registry answered 401 Unauthorized: give registryAuth for " + HOST);
        assertThat(PushErrors.hint("unauthorized: authentication required", HOST, true, "the daemon"))
                .isEqualTo("the registry answered 401 Unauthorized: check the registryAuth credentials for " + HOST);
        assertThat(PushErrors.hint("denied: requested access to the resource is denied", HOST, true, "the daemon"))
                .isEqualTo("the registry wants credentials: check the registryAuth credentials for " + HOST);
        assertThat(PushErrors.hint(BK_500, HOST, false, "the builder"))
                .isEqualTo("the registry answered 500, an error on its side: see its log, or push again");
        assertThat(PushErrors.hint(
                        "write tcp 127.0.0.1:1->" + HOST + ": write: broken pipe", HOST, false, "the daemon"))
                .isEqualTo("is the registry at " + HOST + " up and reachable from the daemon?");
        assertThat(PushErrors.hint("write tcp 1->2: use of closed network connection", HOST, false, "the daemon"))
                .isNotNull();
        assertThat(PushErrors.hint("manifest invalid", HOST, false, "the daemon"))
                .isNull();
    }

    @Test
    void buildKitsPushErrorGetsTheRegistryThePartAndTheHintAndLosesTheUploadState() {
        assertThat(PushErrors.explainBuildKit(BK_500, h -> false))
                .startsWith(BK_500)
                .endsWith(" (the push to registry " + HOST + " failed at the manifest upload; the registry answered"
                        + " 500, an error on its side: see its log, or push again)");
        assertThat(PushErrors.explainBuildKit(BK_CUT, h -> false))
                .doesNotContain("_state=")
                .contains("/blobs/uploads/be8b98a6-4cf5?digest=sha256%3A84ab35be0fcb")
                .endsWith(" (the push to registry " + HOST + " failed at the upload of the image config (blob"
                        + " sha256:84ab35be0fcb); is the registry at " + HOST + " up and reachable from the builder?)");
        String withCredentials = BK_500.replace("500 Internal Server Error", "401 Unauthorized");
        assertThat(PushErrors.explainBuildKit(withCredentials, HOST::equals))
                .endsWith("; the registry answered 401 Unauthorized: check the registryAuth credentials for " + HOST
                        + ")");
    }

    @Test
    void otherBuildKitErrorsStayAsTheyAre() {
        String run = "process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3";
        assertThat(PushErrors.explainBuildKit(run, h -> false)).isEqualTo(run);
    }
}
