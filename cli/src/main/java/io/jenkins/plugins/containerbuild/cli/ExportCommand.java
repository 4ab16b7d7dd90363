package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code container-build export}: writes or lists exactly the context a build would send. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write (or list) exactly the build context a build would send, after .dockerignore.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "The build context directory")
    Path context;

    @Option(
            names = {"-f", "--file"},
            description = "The Dockerfile (default: PATH/Dockerfile)")
    Path dockerfile;

    @Option(
            names = {"-o", "--output"},
            description = "The tar file to write")
    Path output;

    @Option(names = "--gzip", description = "Compress the tar with gzip")
    boolean gzip;

    @Option(names = "--list", description = "Print the entries with their sizes and the total instead")
    boolean list;

    @Override
    public Integer call() throws IOException {
        BuildContext.Builder b = BuildContext.builder().contextDir(context);
        if (dockerfile != null) {
            b.dockerfile(dockerfile.toAbsolutePath());
        }
        ContextArchive archive = ContextArchive.of(b.build());
        if (list) {
            List<ContextArchive.Entry> entries = archive.entries();
            long total = 0;
            for (ContextArchive.Entry e : entries) {
                String suffix = switch (e.type()) {
                    case DIRECTORY -> "/";
                    case SYMLINK -> " -> " + e.linkTarget();
                    default -> "";
                };
                System.out.printf("%12d  %s%s%n", e.size(), e.name(), suffix);
                total += e.size();
            }
            System.out.printf("%d entries, %d bytes of file content%n", entries.size(), total);
            return 0;
        }
        if (output == null) {
            throw new IllegalArgumentException("-o/--output: give the file to write (or use --list)");
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".part");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp));
                OutputStream out = gzip ? new GZIPOutputStream(file, 64 * 1024) : file) {
            long n = archive.writeTo(out);
            System.out.println("wrote " + n + " bytes of tar to " + output + (gzip ? " (gzip)" : ""));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return 0;
    }
}
