package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** buildx's {@code --output} syntax: what is read, and each mistake refused with the option named and the fix. */
class BuildOutputTest {
    @Test
    void eachTypeIsReadAndWrittenBackTheSameWay() {
        BuildOutput oci = BuildOutput.parse("outputs", "type=oci,dest=out/image.tar,oci-mediatypes=true");
        assertThat(oci.type()).isEqualTo(BuildOutput.Type.OCI);
        assertThat(oci.dest()).isEqualTo(Path.of("out/image.tar"));
        assertThat(oci.attrs()).isEqualTo(Map.of("oci-mediatypes", "true"));
        assertThat(BuildOutput.parse("outputs", oci.toString())).isEqualTo(oci);
        assertThat(BuildOutput.parse("outputs", "out").type()).isEqualTo(BuildOutput.Type.LOCAL);
        BuildOutput image = BuildOutput.parse("outputs", "type=image,name=r.example/a:1,push=true,annotation.org.x=y");
        assertThat(image.toClient()).isFalse();
        assertThat(image.attrs()).containsEntry("annotation.org.x", "y");
        assertThat(BuildOutput.parse("outputs", "type=local,dest=d,platform-split=false")
                        .toClient())
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "type=zip,dest=a.zip|type=zip is not an output; use image, oci, docker, tar, local",
                "dest=a.tar|has no type; write type=image, oci, docker, tar or local",
                "type=tar|type=tar needs dest=FILE",
                "type=local,dest=-|type=local needs dest=DIR (writing to standard output is not supported)",
                "type=image,dest=x|type=image has no dest",
                "type=tar,dest=a.tar,compression=zstd|type=tar has no attribute 'compression'; its attributes are"
                        + " platform-split",
                "type=oci,dest=a.tar,push=true|type=oci has no attribute 'push'",
                "type=image,nmae=a:1|type=image has no attribute 'nmae'; its attributes are name,",
                "type=oci,a.tar|'a.tar' is not KEY=VALUE",
            })
    void mistakesAreRefusedNamingTheOptionAndTheFix(String given, String message) {
        assertThatThrownBy(() -> BuildOutput.parse("outputs[0]", given))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("outputs[0]: ")
                .hasMessageContaining(message);
    }
}
