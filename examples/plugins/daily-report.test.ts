import { fileURLToPath } from 'node:url';
import { pluginTestApp } from '@wecom-bot/plugins/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { msUntil } from './daily-report.js';

const configPath = fileURLToPath(new URL('config.json', import.meta.url));

afterEach(() => vi.useRealTimers());

describe('example: daily report', () => {
  it('computes the wait to the next HH:MM, tomorrow when today is past', () => {
    const now = new Date(2026, 11, 1, 8, 30);
    expect(msUntil('09:00', now)).toBe(30 * 60_000);
    expect(msUntil('08:00', now)).toBe(23.5 * 3_600_000);
  });

  it('asks the bot at the set time and pushes the answer to the group, every day, until disabled', async () => {
    vi.useFakeTimers({ now: new Date(2026, 11, 1, 8, 59), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const app = await pluginTestApp({ plugins: [{ from: './daily-report.ts', config: { to: 'wrTEAM', group: true, at: '09:00', prompt: '站会提醒' } }] }, { configPath });
    expect(app.plugins.has('daily-report')).toBe(true);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(app.recorder.pushed).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    // The echo bot answers with the prompt itself: what was asked is what is pushed.
    expect(app.recorder.pushed).toEqual([{ target: { receiver: 'wrTEAM', isGroup: true }, reply: { type: 'TEXT', content: '站会提醒' } }]);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(app.recorder.pushed).toHaveLength(2);
    await app.plugins.disable('daily-report');
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(app.recorder.pushed).toHaveLength(2);
    expect(app.recorder.sent).toEqual([]);
  });
});
