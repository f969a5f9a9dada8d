import type { Bot } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { pluginTestApp, sentTexts, textMessage } from '../testing/index.js';

describe('#status', () => {
  it('shows an admin the version, uptime, channel, model, queue, streams, readiness and the last errors', async () => {
    const app = await pluginTestApp({ admin_users: ['carol'], model: 'gpt-4o-mini' });
    const { pipeline, recorder } = app;
    app.useBot({ name: 'flaky', reply: () => Promise.reject(new Error('upstream 502 from the model API')) } satisfies Bot);
    await pipeline.handle(textMessage('hello', { senderId: 'dave' }));
    app.ops.readiness.state('channel', true, 'started');

    await pipeline.handle(textMessage('#status', { senderId: 'carol' }));
    const status = sentTexts(recorder).at(-1)!;
    const lines = status.split('\n');
    expect(lines[0]).toMatch(/^wecom-bot \d+\.\d+\.\d+，已运行 \d+秒$/);
    expect(lines.slice(1, 6)).toEqual([
      '通道：recording',
      '模型：gpt-4o-mini（flaky）',
      // The #status message itself is the one being handled.
      '处理中的消息：1',
      '进行中的流式回答：0',
      '就绪：是',
    ]);
    expect(lines[6]).toBe('最近的错误（最新的在最后）：');
    expect(lines[7]).toMatch(/^\d\d:\d\d:\d\d recording recording:dave: the bot failed: upstream 502 from the model API$/);
  });

  it('says what is not ready, and that there were no errors', async () => {
    const { pipeline, recorder } = await pluginTestApp({ admin_users: ['carol'] });
    await pipeline.handle(textMessage('#状态', { senderId: 'carol' }));
    const status = sentTexts(recorder)[0]!;
    expect(status).toContain('就绪：否（channel：not started）');
    expect(status).toContain('最近的错误：无');
  });

  it('is refused to a member who is not an admin, and shows them nothing', async () => {
    const { pipeline, recorder } = await pluginTestApp({ admin_password: 'correct horse battery' });
    await pipeline.handle(textMessage('#status', { senderId: 'mallory' }));
    const [answer] = sentTexts(recorder);
    expect(answer).toContain('#status 需要管理员权限');
    expect(answer).not.toContain('wecom-bot');
  });
});
