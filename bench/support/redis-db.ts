/**
 * A Redis database of its own for a benchmark: the highest-numbered empty one on
 * 127.0.0.1:6379, so other users of that Redis (tests use db 0) are not touched; `clear()`
 * deletes the keys the bot wrote (prefix wecom-bot:) when done.
 */
import { spawnSync } from 'node:child_process';

const cli = (db: number, ...args: string[]) => spawnSync('redis-cli', ['-n', String(db), ...args], { encoding: 'utf8' });

export function claimEmptyRedisDb(): { url: string; db: number; clear(): void } {
  for (let db = 15; db >= 1; db--) {
    const size = cli(db, 'DBSIZE');
    if (size.error) throw new Error('redis-cli not found: --store redis needs a Redis at 127.0.0.1:6379 and its redis-cli');
    if (size.stdout.trim() !== '0') continue;
    return {
      url: `redis://127.0.0.1:6379/${db}`,
      db,
      clear() {
        const keys = cli(db, '--scan', '--pattern', 'wecom-bot:*').stdout.split('\n').filter(Boolean);
        for (let i = 0; i < keys.length; i += 500) cli(db, 'DEL', ...keys.slice(i, i + 500));
      },
    };
  }
  throw new Error('no empty Redis database (1-15) at 127.0.0.1:6379');
}
