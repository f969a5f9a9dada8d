import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Deletes every key under `prefix` (a test's own), with redis-cli: the tests share one Redis. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const { stdout } = await run('redis-cli', ['-u', url, '--scan', '--pattern', `${prefix}*`]);
  const keys = stdout.split('\n').filter(Boolean);
  for (let i = 0; i < keys.length; i += 500) await run('redis-cli', ['-u', url, 'DEL', ...keys.slice(i, i + 500)]);
}
