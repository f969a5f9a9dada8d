import { ctxSet, UNVERIFIED_SENDER } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { pluginTestApp, sentTexts, textMessage } from '../testing/index.js';
import { FailedAttempts } from './password.js';

const PASSWORD = 'correct horse battery';

/** A message whose sender id came from a header anyone can write (mode 2 without its key). */
function unverified(content: string, senderId: string) {
  const context = textMessage(content, { senderId });
  ctxSet(context, UNVERIFIED_SENDER, 'the uid header of the legacy API is not authenticated');
  return context;
}

describe('admin commands and senders nobody vouches for', () => {
  it('never runs an admin command for an unverified sender, even one listed in admin_users, nor takes #auth from it', async () => {
    const { pipeline, recorder, config, logLines } = await pluginTestApp({ admin_users: ['boss'], admin_password: PASSWORD, model: 'gpt-4o-mini' });
    await pipeline.handle(unverified('#model gpt-evil', 'boss'));
    await pipeline.handle(unverified('#plugins disable banwords', 'boss'));
    await pipeline.handle(unverified(`#auth ${PASSWORD}`, 'mallory'));
    expect(sentTexts(recorder)).toEqual(Array(3).fill('此入口无法验证发送者身份，不能使用管理员指令。'));
    expect(config.model).toBe('gpt-4o-mini');
    expect(logLines.join('\n')).toMatch(/admin command refused: the uid header of the legacy API is not authenticated/);
    // #help shows no admin commands to it; ordinary commands still work.
    await pipeline.handle(unverified('#help', 'boss'));
    expect(sentTexts(recorder)[3]).not.toContain('#model');
    // The same id through a channel that vouches for it is the admin it is.
    await pipeline.handle(textMessage('#model', { senderId: 'boss' }));
    expect(sentTexts(recorder)[4]).toBe('当前模型：gpt-4o-mini');
  });
});

describe('#auth lockout', () => {
  it('is per sender and global: changing the sender id does not buy more guesses', async () => {
    const { pipeline, recorder } = await pluginTestApp({ admin_password: PASSWORD });
    for (let i = 0; i < 200; i++) await pipeline.handle(textMessage(`#auth guess-${i}`, { senderId: `u${i}` }));
    const answers = sentTexts(recorder);
    expect(answers.filter((a) => a === '口令错误，认证失败。')).toHaveLength(20);
    expect(answers.slice(20).every((a) => a.includes('请 15 分钟后再试'))).toBe(true);
    // Even the right password waits until the lock ends.
    await pipeline.handle(textMessage(`#auth ${PASSWORD}`, { senderId: 'fresh' }));
    expect(sentTexts(recorder).at(-1)).toContain('请 15 分钟后再试');
  });

  it('opens again after 15 minutes, and locks one sender after five', () => {
    let now = 0;
    const attempts = new FailedAttempts(() => now);
    for (let i = 0; i < 5; i++) attempts.fail('a');
    expect(attempts.isLocked('a')).toBe(true);
    expect(attempts.isLocked('b')).toBe(false);
    for (let i = 0; i < 15; i++) expect(attempts.fail(`x${i}`)).toBe(i === 14);
    expect(attempts.isLocked('b')).toBe(true);
    now += 15 * 60 * 1000 + 1;
    expect(attempts.isLocked('b')).toBe(false);
  });
});
