package io.jenkins.plugins.containerbuild.engine.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;

/** What the archive needs to know of one file system entry, read with one lstat where the platform allows. */
record FileMeta(Kind kind, int mode, long size, long mtimeNanos) {

    /** The kinds of entries; {@code OTHER} (sockets, FIFOs, devices) is never archived. */
    enum Kind {
        FILE,
        DIRECTORY,
        SYMLINK,
        OTHER
    }

    /**
     * Reads the metadata of {@code path} itself, never of a symbolic link's target.
     *
     * @throws IOException naming the path when it cannot be read
     */
    static FileMeta read(Path path) throws IOException {
        try {
            try {
                // The "unix" view gives the whole st_mode (setuid, setgid, sticky too) in the same lstat.
                Map<String, Object> a = Files.readAttributes(
                        path,
                        "unix:mode,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink",
                        LinkOption.NOFOLLOW_LINKS);
                Kind kind = kind((Boolean) a.get("isRegularFile"), (Boolean) a.get("isDirectory"), (Boolean)
                        a.get("isSymbolicLink"));
                return of(kind, (Integer) a.get("mode") & 07777, (Long) a.get("size"), (FileTime)
                        a.get("lastModifiedTime"));
            } catch (UnsupportedOperationException noUnixView) {
                return readPortable(path);
            }
        } catch (IOException e) {
            throw new IOException("cannot read the attributes of " + path + ": " + e.getMessage(), e);
        }
    }

    private static FileMeta readPortable(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Kind kind = kind(a.isRegularFile(), a.isDirectory(), a.isSymbolicLink());
        int mode;
        if (a instanceof PosixFileAttributes posix) {
            mode = 0;
            for (PosixFilePermission p : posix.permissions()) {
                mode |= 0400 >> p.ordinal(); // the enum is declared from OWNER_READ down to OTHERS_EXECUTE
            }
        } else {
            mode = kind == Kind.FILE ? 0644 : 0755; // no POSIX modes here (Windows): what a checkout would get
        }
        return of(kind, mode, a.size(), a.lastModifiedTime());
    }

    private static FileMeta of(Kind kind, int mode, long size, FileTime mtime) {
        // Nanoseconds for the file sync (the daemon compares them exactly); the tar takes whole seconds.
        return new FileMeta(
                kind, mode, kind == Kind.FILE ? size : 0, mtime.to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /** Whole seconds, as the docker CLI writes them into the tar. */
    long mtimeSeconds() {
        return Math.floorDiv(mtimeNanos, 1_000_000_000L);
    }

    private static Kind kind(boolean regular, boolean directory, boolean symlink) {
        if (symlink) {
            return Kind.SYMLINK;
        }
        if (directory) {
            return Kind.DIRECTORY;
        }
        return regular ? Kind.FILE : Kind.OTHER;
    }
}
