package io.mmgraph.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single writer's exclusive OS lock on a dedicated lock file (DESIGN.md §6).
 *
 * <p>Why a JVM-wide registry as well as the OS lock: POSIX {@code fcntl} locks belong to the process, and the JDK
 * releases one when <em>any</em> channel of the file is closed. A second writer in the same JVM must therefore be
 * refused before it opens the lock file at all — opening and closing it would silently drop the first writer's lock.
 */
public final class WriterLock implements AutoCloseable {
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path lockFile;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private WriterLock(Path lockFile, Path key, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link IndexLockedException} naming the lock file (and the holder's pid when known). */
    public static WriterLock acquire(Path lockFile) throws IOException {
        Path key = registryKey(lockFile);
        if (!HELD_IN_THIS_JVM.add(key)) {
            throw new IndexLockedException(lockFile, "another writer in this JVM (pid " + ProcessHandle.current().pid() + ")");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(ch);
                ch.close();
                throw new IndexLockedException(lockFile, holder);
            }
            // Record the holder for the message a refused writer prints; the lock, not this text, is the truth.
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new WriterLock(lockFile, key, ch, lock);
        } catch (IOException | RuntimeException e) {
            HELD_IN_THIS_JVM.remove(key);
            if (ch != null && ch.isOpen() && !(e instanceof IndexLockedException)) {
                ch.close();
            }
            throw e;
        }
    }

    /**
     * The lock file's real path, the same however the index directory was named (through a symbolic link, or
     * before and after the lock file exists): a second writer that missed the registry would open the file and,
     * closing it, release the first writer's lock. A missing lock file has no real path yet, so the directory's
     * real path names it.
     */
    private static Path registryKey(Path lockFile) throws IOException {
        Path abs = lockFile.toAbsolutePath();
        if (Files.exists(abs)) {
            return abs.toRealPath();
        }
        Path parent = abs.getParent();
        return parent != null && Files.exists(parent) ? parent.toRealPath().resolve(abs.getFileName()) : abs.normalize();
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "another process" : "another process (" + s + ")";
        } catch (IOException e) {
            return "another process";
        }
    }

    public Path lockFile() {
        return lockFile;
    }

    @Override
    public synchronized void close() throws IOException {
        if (released) {
            return;
        }
        released = true;
        try {
            lock.release();
        } finally {
            channel.close();
            HELD_IN_THIS_JVM.remove(key);
        }
    }
}
