import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { post, readEvents, SECRET } from '../../../../examples/integrations/http-json/src/testing.js';
import { installPacked } from '../testing/install-packed.js';
import { runCli } from '../testing/run-cli.js';
import { serve, type Serving } from '../testing/serve.js';

const examples = fileURLToPath(new URL('../../../../examples/integrations', import.meta.url));
const httpJsonDir = join(examples, 'http-json');
const faqDir = join(examples, 'faq-bot');
const LISTENING = /http-json channel listening/;

/** The settings of a bot behind the http-json channel answering from the example FAQ file. */
function settings(dir: string, integrations: string[]): Record<string, unknown> {
  return {
    integrations,
    channel_type: 'http_json',
    bot_type: 'faq',
    http_json_host: '127.0.0.1',
    http_json_port: 0,
    http_json_secret: SECRET,
    faq_file: relative(dir, join(faqDir, 'faq.example.json')),
    data_dir: join(dir, 'data'),
  };
}

function writeConfig(dir: string, config: Record<string, unknown>): string {
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

let running: Serving | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Starts the bot in `dir` and asks it over HTTP as a web page would: JSON, SSE, and a wrong secret. */
async function expectFaqOverHttp(dir: string): Promise<void> {
  running = await serve(dir, LISTENING);
  const url = `http://127.0.0.1:${String(running.ready.port)}/chat`;
  const answer = await post(url, { user: 'alice', text: '怎么报销差旅费？' });
  expect(await answer.json()).toEqual({ text: expect.stringMatching(/^在企业微信「审批 → 报销」/), replies: [{ type: 'TEXT', content: expect.any(String) }] });
  const events = await readEvents(await post(url, { user: 'bob', text: '今天食堂吃什么' }, { accept: 'text/event-stream' }));
  expect(events.map((e) => e.event)).toEqual(['reply', 'done']);
  expect(events[0]!.data).toEqual({ type: 'TEXT', content: expect.stringMatching(/^抱歉，这个问题我还不会回答/) });
  expect((await post(url, { user: 'eve', text: 'hi' }, { authorization: 'Bearer guessed' })).status).toBe(401);

  const run = await running.stop();
  running = undefined;
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/"integration":"http-json".*user integration loaded/);
  expect(run.stderr).toMatch(/"integration":"faq".*user integration loaded/);
  expect(run.stderr).not.toContain(SECRET);
}

// Each test runs the real CLI once or twice.
describe('user integrations through the real CLI', { timeout: 60_000 }, () => {
  it('loads both examples from paths relative to config.json: check passes and names them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-integrations-'));
    writeConfig(dir, settings(dir, [relative(dir, httpJsonDir), relative(dir, join(faqDir, 'src/index.ts'))]));
    const run = await runCli(['check'], { cwd: dir });
    expect(run.stdout).toContain('wecom-bot check: channel http_json, bot faq');
    expect(run.stdout).toMatch(/✓ integration http-json loads from \.\.?\/.*http-json\n/);
    expect(run.stdout).toMatch(/✓ integration faq loads from .*faq-bot\/src\/index\.ts\n/);
    expect(run.stdout).toContain('✓ http-json: POST http://<this host>:0/chat with "Authorization: Bearer <http_json_secret>"');
    expect(run.stdout).toMatch(/✓ faq: 3 answers from .*faq\.example\.json/);
    expect(run.stdout).toContain('Ready to start.');
    expect(run.code).toBe(0);
  });

  it('starts them from paths: the FAQ bot answers over HTTP, as JSON and as server-sent events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-integrations-'));
    await expectFaqOverHttp(writeConfig(dir, settings(dir, [httpJsonDir, faqDir])));
  });

  it('loads both examples as npm packages installed from their packed tarballs', async () => {
    const site = installPacked([httpJsonDir, faqDir]);
    writeConfig(site, settings(site, ['wecom-bot-http-json', 'wecom-bot-faq']));
    const check = await runCli(['check'], { cwd: site });
    expect(check.stdout).toContain('✓ integration http-json loads from wecom-bot-http-json');
    expect(check.stdout).toContain('✓ integration faq loads from wecom-bot-faq');
    expect(check.code).toBe(0);
    await expectFaqOverHttp(site);
  }, 90_000); // two `pnpm pack`s and an `npm install` before the bot runs

  it('takes the list from the INTEGRATIONS environment variable, with no config.json at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-integrations-'));
    const faqFile = join(faqDir, 'faq.example.json');
    const run = await runCli(['start'], {
      cwd: dir,
      input: '年假有几天？\n',
      env: { INTEGRATIONS: JSON.stringify([faqDir]), CHANNEL_TYPE: 'terminal', BOT_TYPE: 'faq', FAQ_FILE: faqFile, LOG_LEVEL: 'warn' },
    });
    expect(run.stdout).toBe('Bot: 入职满一年 5 天，满十年 10 天；在「审批 → 请假」里查看余额。\n');
    expect(run.code).toBe(0);
  });
});
