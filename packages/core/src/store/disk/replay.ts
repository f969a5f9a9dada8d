import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';

export interface ReplayHooks {
  /** Each record of the file (and its text), in order. */
  onRecord(record: unknown, line: string): void;
  /** A line that is not JSON: torn by a crash mid-write, or damaged. It is skipped. */
  onBadLine(lineNumber: number): void;
}

/**
 * Reads a JSON-lines log as the store opens (synchronously: nothing else runs yet). A torn
 * last line is cut off the file, or the next append would join onto it. Returns the line count.
 */
export function replayLog(path: string, hooks: ReplayHooks): number {
  let data = readFileSync(path);
  const end = data.lastIndexOf(0x0a) + 1;
  if (end < data.length) {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, end);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.onBadLine(data.subarray(0, end).toString('utf8').split('\n').length);
    data = data.subarray(0, end);
  }
  const lines = data.toString('utf8').split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      hooks.onBadLine(i + 1);
      return;
    }
    hooks.onRecord(record, line);
  });
  return lines.length;
}
