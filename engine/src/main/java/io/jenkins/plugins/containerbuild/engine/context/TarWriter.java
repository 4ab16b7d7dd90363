package io.jenkins.plugins.containerbuild.engine.context;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Streams {@link ArchiveItem}s as a tar straight into the caller's stream: POSIX (PAX) headers for long and
 * non-ASCII names and for sizes over 8 GiB, ownership 0:0 with empty names as the docker CLI writes it, file
 * bodies copied through a small buffer.
 */
final class TarWriter {
    private static final int RECORD = 512; // no padding to 10 KiB blocks: the daemon reads plain tar records

    private final CountingOutputStream counter;
    private final OutputStream buffered;
    private final TarArchiveOutputStream tar;
    private final byte[] buffer = new byte[16 * 1024];

    TarWriter(OutputStream out) {
        this.counter = new CountingOutputStream(out);
        // Buffer above the counter: the tar stream writes 512-byte records, too small for a socket.
        this.buffered = new BufferedOutputStream(counter, 64 * 1024);
        this.tar = new TarArchiveOutputStream(buffered, RECORD, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    void write(ArchiveItem item) throws IOException {
        ContextArchive.Entry e = item.entry();
        TarArchiveEntry header = switch (e.type()) {
            case DIRECTORY -> new TarArchiveEntry(e.name() + "/", TarConstants.LF_DIR);
            case SYMLINK -> new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK);
            case FILE -> new TarArchiveEntry(e.name(), TarConstants.LF_NORMAL);
        };
        header.setMode(item.mode());
        header.setModTime(FileTime.from(item.mtimeSeconds(), TimeUnit.SECONDS));
        header.setUserId(0);
        header.setGroupId(0);
        header.setUserName(""); // whatever the library defaults to (some constructors take user.name)
        header.setGroupName("");
        if (e.type() == ContextArchive.Entry.Type.SYMLINK) {
            header.setLinkName(e.linkTarget());
        }
        if (e.type() != ContextArchive.Entry.Type.FILE) {
            tar.putArchiveEntry(header);
            tar.closeArchiveEntry();
            return;
        }
        header.setSize(e.size());
        // Open before the header goes out, so an unreadable file fails without a half-written entry.
        try (InputStream in = item.source() == null ? InputStream.nullInputStream() : open(item)) {
            tar.putArchiveEntry(header);
            copy(in, e.size() - item.trailer().length, item);
            tar.write(item.trailer());
            tar.closeArchiveEntry();
        }
    }

    /** Ends the archive and flushes; returns the bytes written to the caller's stream, which stays open. */
    long finish() throws IOException {
        tar.finish();
        buffered.flush();
        return counter.count();
    }

    private static InputStream open(ArchiveItem item) throws IOException {
        try {
            // No following: a file swapped for a link since the walk must not let anything outside be read.
            return Files.newInputStream(item.source(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException("cannot read " + item.source() + ": " + e.getMessage(), e);
        }
    }

    // Exactly the size in the header: a file that grew is cut there, one that shrank fails the build.
    private void copy(InputStream in, long length, ArchiveItem item) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int n;
            try {
                n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            } catch (IOException e) {
                throw new IOException("cannot read " + item.source() + ": " + e.getMessage(), e);
            }
            if (n < 0) {
                throw new IOException(item.source() + " got shorter while it was being archived");
            }
            tar.write(buffer, 0, n);
            remaining -= n;
        }
    }
}
