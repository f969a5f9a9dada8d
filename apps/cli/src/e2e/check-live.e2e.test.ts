import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testWecomConfig } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../testing/run-cli.js';
import { API_KEY, startStack, type Stack } from './stack.js';

/**
 * `wecom-bot check --live`, run as an operator would, against a running `wecom-bot start`
 * (its callback URL is the public URL) and the fake WeCom and OpenAI APIs it talks to.
 */
describe('wecom-bot check --live', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => s?.close());

  /** Runs `check --live` on a config.json like the running bot's, with `overrides`. */
  async function checkLive(overrides: Record<string, unknown> = {}): Promise<CliRun> {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-check-live-'));
    const config = {
      ...testWecomConfig(s.wecom.baseUrl),
      wechatcomapp_public_url: s.bot.callbackUrl,
      bot_type: 'openai',
      open_ai_api_key: API_KEY,
      open_ai_api_base: s.openai.baseURL,
      ...overrides,
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const run = await runCli(['check', '--live'], { cwd: dir });
    for (const [name, value] of Object.entries(s.secrets())) expect(run.stdout.includes(value) || run.stderr.includes(value), `${name} in the output`).toBe(false);
    return run;
  }

  it('passes when the credentials, the trusted IP, the callback URL and the model API all work, and sends nothing', async () => {
    const run = await checkLive();
    expect(run.stdout).toMatch(/Live checks \(nothing is sent to users\):/);
    expect(run.stdout).toMatch(/✓ WeCom accepted wechatcom_corp_id and wechatcomapp_secret/);
    expect(run.stdout).toMatch(/✓ app "Test App" \(agent id 1000002\) answers API calls from this server/);
    expect(run.stdout).toMatch(/✓ wechatcomapp_public_url http:\/\/127\.0\.0\.1:\d+\/wxcomapp answers the URL verification exactly/);
    expect(run.stdout).toMatch(/✓ model "gpt-4o-mini" is available/);
    expect(run.stdout).toMatch(/Ready to start\./);
    expect(run.code).toBe(0);
    expect(s.wecom.sent).toEqual([]);
    expect(s.openai.requestsTo('chat')).toEqual([]);
  });

  it("exits 1 naming the IP to trust, and still checks the rest", async () => {
    s.wecom.refuseFromIp('198.51.100.23');
    try {
      const run = await checkLive();
      expect(run.stdout).toMatch(/✗ WeCom refuses API calls from 198\.51\.100\.23 \(errcode 60020\): add 198\.51\.100\.23 to the app's trusted IPs \(企业可信IP\)/);
      expect(run.stdout).toMatch(/✓ wechatcomapp_public_url .* answers the URL verification exactly/);
      expect(run.stdout).toMatch(/1 problem to fix/);
      expect(run.code).toBe(1);
    } finally {
      s.wecom.refuseFromIp(undefined);
    }
  });

  it('exits 1 on a wrong key and a wrong public URL path; skips the live checks while the config itself has problems', async () => {
    const wrong = await checkLive({ open_ai_api_key: 'sk-not-the-key-0123456789', wechatcomapp_public_url: s.bot.callbackUrl.replace('/wxcomapp', '/wx') });
    expect(wrong.stdout).toMatch(/✗ wechatcomapp_public_url: answered 404: wrong path/);
    expect(wrong.stdout).toMatch(/✗ .* rejected open_ai_api_key \(401/);
    expect(wrong.stdout).not.toContain('sk-not-the-key');
    expect(wrong.code).toBe(1);
    const broken = await checkLive({ wechatcomapp_secret: '' });
    expect(broken.stdout).toMatch(/✗ wechatcomapp_secret is required/);
    expect(broken.stdout).toMatch(/Live checks skipped: fix the problems above first\./);
    expect(broken.code).toBe(1);
  });
});
