import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStores } from './index.js';
import { freePort, killHard, startRedisServer } from './testing/index.js';

const servers: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(killHard));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Redis stores when Redis goes away', () => {
  it('survive a Redis killed and restarted under load: bounded errors, then recovery', async () => {
    const port = await freePort();
    servers.push(await startRedisServer(port));
    const connectionErrors: Error[] = [];
    const stores = await createRedisStores({ url: `redis://127.0.0.1:${port}`, prefix: 'restart:', onError: (e) => connectionErrors.push(e) });
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          await stores.seen.remember(`w${w}:${i}`, 60_000);
          await stores.pacing.take(`member-${w}`, 1_000_000, 60_000);
          await stores.settings.set(`worker-${w}`, i);
          ok += 1;
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));

    await sleep(300);
    const okBefore = ok;
    const server = servers.pop();
    if (server) await killHard(server);
    await sleep(500);
    servers.push(await startRedisServer(port));
    const okAtRestart = ok;
    // Recovery: the workers get through again once the client has reconnected.
    for (let i = 0; i < 100 && ok < okAtRestart + 50; i++) await sleep(50);
    stop = true;
    await Promise.all(workers);

    expect(okBefore).toBeGreaterThan(0);
    expect(ok).toBeGreaterThanOrEqual(okAtRestart + 50);
    // Bounded: each command waits out a few reconnection attempts before failing, no busy loop.
    expect(failures.length).toBeLessThan(200);
    expect(connectionErrors.length).toBeGreaterThan(0);
    // The restarted Redis is empty (nothing saved): the stores work on it as on a new one.
    expect(await stores.seen.remember(`fresh-${randomUUID()}`, 60_000)).toEqual({ first: true });
    await stores.settings.set('model', 'gpt-4o');
    expect(await stores.settings.get('model')).toBe('gpt-4o');
    await stores.close();
  });

  it('fail at start with what to do when no Redis answers, without hanging', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(createRedisStores({ url: `redis://:secret@127.0.0.1:${port}`, connectTimeoutMs: 1000 })).rejects.toThrow(
      new RegExp(`Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} did not answer .*Start Redis there, or set redis_url`),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
