import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanStopWithoutSecrets, PERSONA, startStack, type Stack } from './stack.js';

const NEW_PERSONA = '你是新来的助手小安，只说一句话。';

// One process for the block; the tests run in order against it.
describe('wecom-bot start: SIGHUP reloads config.json as #reload does', () => {
  let s: Stack;
  let configPath: string;
  beforeAll(async () => {
    s = await startStack({ wechatcomapp_passive_reply_ms: 0 });
    configPath = join(s.bot.dir, 'config.json');
  });
  afterAll(async () => s?.close());

  const systemPromptFor = async (member: string, text: string, count: number) => {
    expect(await s.post(member, 'text', { Content: text })).toEqual({ status: 200, body: '' });
    await s.receive(member, count);
    return (s.chatsAbout(text)[0]?.json.messages as Array<{ role: string; content: string }>)[0];
  };
  const editConfig = (change: (config: Record<string, unknown>) => void) => {
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    change(config);
    writeFileSync(configPath, JSON.stringify(config, null, 2));
  };

  it('a changed character_desc applies to the next message after SIGHUP, with one summary line logged', async () => {
    expect(await systemPromptFor('zhaoliu', 'before the reload', 1)).toEqual({ role: 'system', content: PERSONA });
    editConfig((config) => (config.character_desc = NEW_PERSONA));
    s.bot.signal('SIGHUP');
    const line = JSON.parse(await s.bot.waitForLog(/SIGHUP: reloaded/)) as { level: string; msg: string };
    expect(line.level).toBe('info');
    expect(line.msg).toContain(`config reloaded from ${configPath}`);
    expect(await systemPromptFor('zhaoliu', 'after the reload', 2)).toEqual({ role: 'system', content: NEW_PERSONA });
  });

  it('a broken config.json is refused and logged; the bot keeps answering with what it had', async () => {
    editConfig((config) => (config.max_retries = 'many'));
    s.bot.signal('SIGHUP');
    const line = JSON.parse(await s.bot.waitForLog(/SIGHUP: reload failed/)) as { level: string; msg: string };
    expect(line.level).toBe('error');
    expect(line.msg).toContain('max_retries');
    expect(await systemPromptFor('sunqi', 'after a failed reload', 1)).toEqual({ role: 'system', content: NEW_PERSONA });
  });

  it('stops cleanly on SIGTERM afterwards, no secret in its log', async () => {
    await expectCleanStopWithoutSecrets(s);
  });
});
