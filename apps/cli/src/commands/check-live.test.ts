import { defineIntegration, type CheckItem } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { runLiveChecks } from './check-live.js';

const SECRET = 'app-secret-Kq83nVz0';

/** An integration whose channel "c", bot "b" and integration-wide live checks answer as given. */
const integration = (name: string, live: { channel?: () => Promise<CheckItem[]>; bot?: () => Promise<CheckItem[]>; always?: () => Promise<CheckItem[]> }) =>
  defineIntegration({
    name,
    channels: { c: { create: () => undefined as never, checkLive: live.channel } },
    bots: { b: { create: () => undefined as never, checkLive: live.bot } },
    checkLive: live.always,
  });

const run = { config: {}, channelType: 'c', botType: 'b', secretValues: [SECRET], timeoutMs: 300 };

describe('runLiveChecks', () => {
  it("runs the chosen channel's and bot's live checks and the integration-wide ones, in integration order", async () => {
    const ok = (message: string) => async (): Promise<CheckItem[]> => [{ level: 'ok', message }];
    const items = await runLiveChecks(
      [integration('first', { channel: ok('channel'), always: ok('always') }), integration('second', { bot: ok('bot') })],
      run,
    );
    expect(items.map((i) => i.message)).toEqual(['channel', 'always', 'bot']);
    const other = await runLiveChecks([integration('first', { channel: ok('channel') })], { ...run, channelType: 'other' });
    expect(other).toEqual([]);
  });

  it('fails a check that gives no answer in time, or throws, and lets the others finish', async () => {
    const items = await runLiveChecks(
      [
        integration('hangs', { channel: () => new Promise<CheckItem[]>(() => undefined) }),
        integration('throws', { bot: async () => { throw new Error('boom'); } }),
        integration('fine', { always: async () => [{ level: 'ok', message: 'fine' }] }),
      ],
      run,
    );
    expect(items).toEqual([
      { level: 'error', message: 'hangs: the live check got no answer within 0.3 s' },
      { level: 'error', message: 'throws: live check failed: boom' },
      { level: 'ok', message: 'fine' },
    ]);
  });

  it('masks a secret a server echoed into a line', async () => {
    const items = await runLiveChecks([integration('echo', { channel: async () => [{ level: 'error', message: `server said: bad secret ${SECRET}` }] })], run);
    expect(items[0]!.message).not.toContain(SECRET);
    expect(items[0]!.message).toMatch(/bad secret ap\*\*\*/);
  });
});
