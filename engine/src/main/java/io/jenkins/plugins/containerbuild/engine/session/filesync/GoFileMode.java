package io.jenkins.plugins.containerbuild.engine.session.filesync;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The bits of Go's {@code os.FileMode} that file sync's {@code Stat.mode} carries: the low nine bits are the
 * permissions, the type and special bits sit high (not where unix {@code st_mode} has them).
 */
public final class GoFileMode {
    public static final int DIR = 1 << 31;
    public static final int SYMLINK = 1 << 27;
    public static final int DEVICE = 1 << 26;
    public static final int NAMED_PIPE = 1 << 25;
    public static final int SOCKET = 1 << 24;
    public static final int SETUID = 1 << 23;
    public static final int SETGID = 1 << 22;
    public static final int CHAR_DEVICE = 1 << 21;
    public static final int STICKY = 1 << 20;
    /** Every type bit; a regular file has none. */
    public static final int TYPE = DIR | SYMLINK | DEVICE | NAMED_PIPE | SOCKET | CHAR_DEVICE | (1 << 19);

    private GoFileMode() {}

    /** Whether {@code mode} is a regular file's: the only kind whose contents travel. */
    public static boolean isRegular(int mode) {
        return (mode & TYPE) == 0;
    }

    public static boolean isDirectory(int mode) {
        return (mode & DIR) != 0;
    }

    public static boolean isSymlink(int mode) {
        return (mode & SYMLINK) != 0;
    }

    /** The read, write and execute permissions in {@code mode}. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                out.add(bits[i]);
            }
        }
        return out;
    }
}
