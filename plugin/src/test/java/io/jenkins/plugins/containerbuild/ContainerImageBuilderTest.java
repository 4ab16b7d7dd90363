package io.jenkins.plugins.containerbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.AccessDeniedException3;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.containerbuild.credentials.BuildSecret;
import io.jenkins.plugins.containerbuild.freestyle.ContainerImageBuilder;
import io.jenkins.plugins.containerbuild.results.ContainerBuildAction;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The freestyle step: form round trip, a real build, and the permission checks of its form methods. */
@WithJenkins
class ContainerImageBuilderTest {
    private JenkinsRule r;

    @BeforeEach
    void beforeEach(JenkinsRule rule) {
        r = rule;
    }

    @Test
    void configRoundtrip() throws Exception {
        ContainerImageBuilder before = new ContainerImageBuilder("registry.example.com/app:1\napp:latest");
        before.setContext("sub");
        before.setBuildArgs("A=1\nB=x=y");
        before.setSecrets(List.of(new BuildSecret("tok", "tok-cred")));
        before.setNoCache(true);
        before.setTimeout("30m");
        before.setCacheTo("type=inline");
        before.setExtraHosts("db=10.0.0.5");
        before.setUnstableIfCacheHitRateBelow("0.5");
        before.setFailIfSizeGrowthAbovePercent("20");
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildersList().add(before);
        r.configRoundtrip(p);
        ContainerImageBuilder after = p.getBuildersList().get(ContainerImageBuilder.class);
        r.assertEqualDataBoundBeans(before, after);
    }

    @Test
    void freestyleBuildRecordsTheImage() throws Exception {
        DockerAvailable.assume();
        FreeStyleProject p = r.createFreeStyleProject();
        r.jenkins
                .getWorkspaceFor(p)
                .child("Dockerfile")
                .write("FROM " + DockerAvailable.BASE_IMAGE + "\nRUN echo freestyle\n", "UTF-8");
        ContainerImageBuilder builder = new ContainerImageBuilder("cb-plugin-test/freestyle:${BUILD_NUMBER}");
        p.getBuildersList().add(builder);
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        ContainerBuildAction action = b.getAction(ContainerBuildAction.class);
        assertEquals(
                "cb-plugin-test/freestyle:1",
                action.getRecords().get(0).getTags().get(0));
    }

    @Test
    void credentialsAreListedOnlyToConfigurers() throws Exception {
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(new UsernamePasswordCredentialsImpl(
                        CredentialsScope.GLOBAL, "registry-cred", "", "user", "pw-value-123"));
        FreeStyleProject p = r.createFreeStyleProject("p");
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ)
                .everywhere()
                .to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE)
                .everywhere()
                .to("configurer"));
        ContainerImageBuilder.DescriptorImpl d =
                r.jenkins.getDescriptorByType(ContainerImageBuilder.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as(User.getById("reader", true))) {
            ListBoxModel items = d.doFillRegistryCredentialsIdItems(p, "");
            assertTrue(items.stream().noneMatch(o -> o.value.equals("registry-cred")));
            assertThrows(AccessDeniedException3.class, () -> d.doCheckTags(p, "app:1"));
            assertEquals(
                    "OK", d.doCheckRegistryCredentialsId(p, "anything").kind.name());
        }
        try (ACLContext ignored = ACL.as(User.getById("configurer", true))) {
            ListBoxModel items = d.doFillRegistryCredentialsIdItems(p, "");
            assertTrue(items.stream().anyMatch(o -> o.value.equals("registry-cred")));
            assertEquals(
                    "OK",
                    d.doCheckRegistryCredentialsId(p, "registry-cred").kind.name());
            assertEquals(
                    "ERROR", d.doCheckRegistryCredentialsId(p, "no-such").kind.name());
            assertEquals("OK", d.doCheckTags(p, "app:1").kind.name());
            assertEquals("ERROR", d.doCheckTags(p, "Not A Tag").kind.name());
        }
        try (ACLContext ignored = ACL.as(User.getById("reader", true))) {
            ListBoxModel global = d.doFillRegistryCredentialsIdItems(null, "");
            assertTrue(global.stream().noneMatch(o -> o.value.equals("registry-cred")));
        }
    }
}
