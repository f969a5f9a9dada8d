import { close, fsync, open } from 'node:fs';
import { promisify } from 'node:util';

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

/**
 * Fsyncs a directory off the main thread, so a rename in it survives a power cut. Some platforms
 * (Windows) cannot open a directory, and need not: the rename is atomic there, its durability the OS's.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = await openAsync(dir, 'r');
    await fsyncAsync(fd);
  } catch {
    // Not supported here.
  } finally {
    if (fd !== undefined) await closeAsync(fd).catch(() => {});
  }
}
