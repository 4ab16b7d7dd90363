package io.jenkins.plugins.containerbuild.engine.context;

import java.nio.file.Path;

/**
 * One entry to write: the public {@link ContextArchive.Entry} plus what the tar header and body need. A
 * file's body is the first {@code size - trailer.length} bytes of {@code source} (none when it is null)
 * followed by {@code trailer}.
 */
record ArchiveItem(ContextArchive.Entry entry, int mode, long mtimeNanos, Path source, byte[] trailer) {
    private static final byte[] NONE = new byte[0];

    ArchiveItem {
        trailer = trailer == null ? NONE : trailer;
    }

    /** An entry read from the context directory. */
    static ArchiveItem of(String name, FileMeta meta, Path source, String linkTarget) {
        ContextArchive.Entry.Type type = switch (meta.kind()) {
            case FILE -> ContextArchive.Entry.Type.FILE;
            case DIRECTORY -> ContextArchive.Entry.Type.DIRECTORY;
            case SYMLINK -> ContextArchive.Entry.Type.SYMLINK;
            case OTHER -> throw new IllegalArgumentException("not archived: " + source);
        };
        return new ArchiveItem(
                new ContextArchive.Entry(name, type, meta.size(), linkTarget),
                meta.mode(),
                meta.mtimeNanos(),
                meta.kind() == FileMeta.Kind.FILE ? source : null,
                NONE);
    }

    /** The modification time in whole seconds, as the tar takes it. */
    long mtimeSeconds() {
        return Math.floorDiv(mtimeNanos, 1_000_000_000L);
    }

    /** The same file with bytes appended to its body. */
    ArchiveItem withTrailer(byte[] extra) {
        ContextArchive.Entry e = entry;
        return new ArchiveItem(
                new ContextArchive.Entry(e.name(), e.type(), e.size() + extra.length, null),
                mode,
                mtimeNanos,
                source,
                extra);
    }
}
