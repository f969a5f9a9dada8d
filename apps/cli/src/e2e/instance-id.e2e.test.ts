// The instance id kept in <data_dir>/state/instance-id: a restarted `wecom-bot start` is the
// same instance, so it takes up its own unfinished work at once. Another instance would have
// to wait for the dead process's claim to run out; this test makes that wait an hour.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/**
 * Moves the claim on every unfinished message in the dead process's outbox an hour ahead: a
 * line appended to the disk store's log (the last line of a key wins when it is read back).
 */
function holdClaimsForAnHour(stateDir: string): number {
  const path = join(stateDir, 'outbox.jsonl');
  const latest = new Map<string, { k: string; e: number; v?: { kind: string; claimedUntil: number } }>();
  for (const text of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
    const line = JSON.parse(text) as { k: string; e: number; v?: { kind: string; claimedUntil: number } };
    latest.set(line.k, line);
  }
  let held = 0;
  for (const line of latest.values()) {
    if (line.v?.kind !== 'message') continue;
    appendFileSync(path, `${JSON.stringify({ ...line, v: { ...line.v, claimedUntil: Date.now() + 3_600_000 } })}\n`);
    held += 1;
  }
  return held;
}

describe('a restart is the same instance (store "disk")', { timeout: 120_000 }, () => {
  it('keeps its instance id and resumes its own unanswered message at once, however long its old claim holds', async () => {
    // Generous start timeouts: cold starts are slow on a busy machine.
    const s = (stack = await startStack({ wechatcomapp_passive_reply_ms: 0 }, { startTimeoutMs: 40_000 }));
    const stateDir = join(s.bot.dir, 'data', 'state');
    const idBefore = readFileSync(join(stateDir, 'instance-id'), 'utf8');

    // The first answer never comes: the process dies while the model is still writing.
    s.openai.setResponse('chat', { content: '太晚了', delayMs: 50_000 }, { content: '会议在三楼。' });
    expect((await s.post('zhangsan', 'text', { Content: '会议在哪里？' })).status).toBe(200);
    await expect.poll(() => s.openai.requestsTo('chat').length, { timeout: 10_000 }).toBe(1);
    await s.crash();
    expect(holdClaimsForAnHour(stateDir)).toBe(1);

    await s.restart();
    expect(readFileSync(join(stateDir, 'instance-id'), 'utf8')).toBe(idBefore);
    await expect.poll(() => s.textsTo('zhangsan'), { timeout: 20_000, interval: 100 }).toEqual(['会议在三楼。']);
    expect(s.openai.requestsTo('chat')).toHaveLength(2);
    expect(s.bot.stderr()).toContain('handling it again');
  });
});
