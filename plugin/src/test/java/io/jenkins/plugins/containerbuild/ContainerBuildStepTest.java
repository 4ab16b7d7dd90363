package io.jenkins.plugins.containerbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.results.ContainerBuildAction;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The Pipeline steps in a real Jenkins against the local Docker daemon (tests that build skip when
 * no daemon answers). Modelled on workflow-basic-steps' ReadWriteFileStepTest.
 */
@WithJenkins
class ContainerBuildStepTest {
    private static final String SECRET_VALUE = "s3cr3t-t0ken-value";

    private JenkinsRule r;

    @BeforeEach
    void beforeEach(JenkinsRule rule) {
        r = rule;
    }

    private WorkflowJob job(String script) throws Exception {
        WorkflowJob p = r.jenkins.createProject(
                WorkflowJob.class, "p" + r.jenkins.getItems().size());
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private static String dockerfile(String... lines) {
        StringBuilder sb =
                new StringBuilder("writeFile file: 'Dockerfile', text: '''FROM " + DockerAvailable.BASE_IMAGE + "\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.append("'''\n").toString();
    }

    @Test
    void buildReturnsAPlainResultAndRecordsTheImage() throws Exception {
        DockerAvailable.assume();
        WorkflowJob p = job("node {\n"
                + dockerfile("RUN echo hello > /hello.txt")
                + "  def res = containerBuild tags: ['cb-plugin-test/basic:1'], noCache: true\n"
                + "  echo \"IMAGE ${res.imageId}\"\n"
                + "  echo \"TAG ${res.tags[0]}\"\n"
                + "  echo \"STEPS ${res.metrics.stepsTotal}\"\n"
                + "}");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("IMAGE sha256:", b);
        r.assertLogContains("TAG cb-plugin-test/basic:1", b);
        r.assertLogContains("RUN echo hello", b);
        ContainerBuildAction action = b.getAction(ContainerBuildAction.class);
        assertNotNull(action);
        assertEquals(1, action.getRecords().size());
        BuildRecord record = action.getRecords().get(0);
        assertEquals("cb-plugin-test/basic:1", record.getTags().get(0));
        assertTrue(record.getDurationMillis() > 0);
        assertTrue(action.getSummaryHtml().contains("cb-plugin-test/basic:1"));
    }

    @Test
    void secretFromTheCredentialsStoreReachesTheBuildAndIsMasked() throws Exception {
        DockerAvailable.assume();
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(new StringCredentialsImpl(
                        CredentialsScope.GLOBAL, "tok-cred", "token", Secret.fromString(SECRET_VALUE)));
        SystemCredentialsProvider.getInstance().save();
        WorkflowJob p = job("node {\n"
                + dockerfile("RUN --mount=type=secret,id=tok test -s /run/secrets/tok && cat /run/secrets/tok")
                + "  containerBuild tags: ['cb-plugin-test/secret:1'], noCache: true,\n"
                + "      secrets: [[id: 'tok', credentialsId: 'tok-cred']]\n"
                + "}");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogNotContains(SECRET_VALUE, b);
        r.assertLogContains("****", b);
    }

    @Test
    void missingCredentialsAbortNamingTheIdAndType() throws Exception {
        WorkflowJob p = job("node {\n"
                + "  containerBuild tags: ['x:1'], secrets: [[id: 'tok', credentialsId: 'no-such-cred']]\n"
                + "}");
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("no-such-cred", b);
        r.assertLogContains("Secret text or Secret file", b);
    }

    @Test
    void credentialsOfTheWrongTypeAbortNamingTheExpectedType() throws Exception {
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(new UsernamePasswordCredentialsImpl(
                        CredentialsScope.GLOBAL, "userpass", "", "user", "pw-value-123"));
        WorkflowJob p = job("node {\n"
                + "  containerBuild tags: ['x:1'], secrets: [[id: 'tok', credentialsId: 'userpass']]\n"
                + "}");
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("'userpass' are of the wrong type", b);
    }

    @Test
    void invalidArgumentsAreReportedByName() throws Exception {
        // Image references are checked when the agent makes the build context, after the Dockerfile is
        // found (no daemon is contacted before that), so the workspace needs one.
        WorkflowJob p = job("node {\n"
                + "  writeFile file: 'Dockerfile', text: 'FROM scratch\\n'\n"
                + "  containerBuild tags: ['Not A Valid Tag']\n"
                + "}");
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("tags: 'Not A Valid Tag' is not a valid image reference", b);
    }

    @Test
    void abortingTheRunCancelsTheDaemonBuild() throws Exception {
        DockerAvailable.assume();
        WorkflowJob p = job("node {\n"
                + dockerfile("RUN echo started-long-step && sleep 600")
                + "  containerBuild tags: ['cb-plugin-test/long:1'], noCache: true\n"
                + "}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        r.waitForMessage("started-long-step", b);
        long before = System.currentTimeMillis();
        b.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        assertTrue(System.currentTimeMillis() - before < 120_000, "the build should stop well before its sleep ends");
        r.assertLogContains("Cancelling the container build", b);
    }

    @Test
    void batchBuildReturnsResultsInOrder() throws Exception {
        DockerAvailable.assume();
        WorkflowJob p = job("node {\n"
                + dockerfile("ARG N", "RUN echo $N > /n")
                + "  def rs = containerBatchBuild builds: [\n"
                + "    [tags: ['cb-plugin-test/batch:a'], buildArgs: [N: 'a']],\n"
                + "    [tags: ['cb-plugin-test/batch:b'], buildArgs: [N: 'b']]\n"
                + "  ], maxParallel: 2, failFast: true\n"
                + "  echo \"FIRST ${rs[0].tags[0]} SECOND ${rs[1].tags[0]}\"\n"
                + "}");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("FIRST cb-plugin-test/batch:a SECOND cb-plugin-test/batch:b", b);
        assertEquals(2, b.getAction(ContainerBuildAction.class).getRecords().size());
    }

    @Test
    void batchBuildFailureListsEveryOutcome() throws Exception {
        DockerAvailable.assume();
        WorkflowJob p = job("node {\n"
                + dockerfile("ARG FAIL=0", "RUN test \"$FAIL\" = 0")
                + "  containerBatchBuild builds: [\n"
                + "    [tags: ['cb-plugin-test/ok:1']],\n"
                + "    [tags: ['cb-plugin-test/bad:1'], buildArgs: [FAIL: '1']]\n"
                + "  ], failFast: false\n"
                + "}");
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("cb-plugin-test/ok:1: SUCCESS", b);
        r.assertLogContains("cb-plugin-test/bad:1", b);
    }

    @Test
    void pruneReturnsWhatWasReclaimed() throws Exception {
        DockerAvailable.assume();
        WorkflowJob p = job("node {\n"
                + "  def res = pruneBuildCache keepStorage: '100GB'\n"
                + "  echo \"RECLAIMED ${res.spaceReclaimed} DELETED ${res.cachesDeleted.size()}\"\n"
                + "}");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("RECLAIMED ", b);
    }

    @Test
    void unstableGateMarksTheRunUnstable() throws Exception {
        DockerAvailable.assume();
        WorkflowJob p = job("node {\n"
                + dockerfile("RUN echo gate")
                + "  containerBuild tags: ['cb-plugin-test/gate:1'], noCache: true,\n"
                + "      unstableIf: [cacheHitRateBelow: 0.99]\n"
                + "}");
        WorkflowRun b = r.buildAndAssertStatus(Result.UNSTABLE, p);
        r.assertLogContains("Quality gate (UNSTABLE)", b);
        assertNotNull(b.getAction(ContainerBuildAction.class).getGateReport());
        assertFalse(b.getAction(ContainerBuildAction.class).getSummaryHtml().isEmpty());
    }
}
