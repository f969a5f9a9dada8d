import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { runCli, runCliInTerminal } from './testing/run-cli.js';
import { templatePath } from './paths.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'wecom-bot-cli-'));

describe('wecom-bot start', () => {
  it('with nothing configured, on a terminal, runs the demo: the terminal channel answers through the echo bot', async () => {
    const run = await runCliInTerminal(['start'], { cwd: tmp(), input: 'hello\n你好，机器人\n\nlast line\n' });
    expect(run.code).toBe(0);
    expect(run.output.match(/Bot: .*/g)?.map((l) => l.trim())).toEqual(['Bot: hello', 'Bot: 你好，机器人', 'Bot: last line']);
    expect(run.output).toMatch(/running the demo/);
    // The demo logs warnings only: info lines would bury the conversation on the terminal.
    expect(run.output).not.toMatch(/reply sent/);
  });

  it("limits chat to rate_limit_chatgpt's schema default (20 a minute) when config.json leaves it out", async () => {
    const openai = await startFakeOpenAI();
    try {
      const dir = tmp();
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'openai', open_ai_api_base: openai.baseURL, log_level: 'warn' }));
      const questions = Array.from({ length: 21 }, (_, i) => `q${i + 1}`);
      const run = await runCli(['start'], { cwd: dir, input: `${questions.join('\n')}\n` });
      expect(run.code).toBe(0);
      const answers = run.stdout.trim().split('\n');
      expect(answers.slice(0, 20)).toEqual(questions.slice(0, 20).map((q) => `Bot: echo: ${q}`));
      expect(answers[20]).toMatch(/^Bot \(error\): 提问太快啦，请 \d+ 秒后再试。$/);
      expect(openai.requestsTo('chat')).toHaveLength(20);
    } finally {
      await openai.close();
    }
  });

  it('runs the channel and bot named by --config', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bot.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', log_level: 'warn' }));
    const run = await runCli(['start', '--config', 'bot.json'], { cwd: dir, input: 'ping\n' });
    expect(run).toMatchObject({ code: 0, stdout: 'Bot: ping\n' });
    expect(run.stderr).not.toMatch(/demo/);
  });

  it('stops cleanly on SIGTERM while waiting for input', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo' }));
    const run = await runCli(['start'], {
      cwd: dir,
      env: { LOG_LEVEL: 'info' },
      keepStdinOpen: true,
      onSpawn: (kill, output) => {
        const poll = setInterval(() => {
          if (output().includes('wecom-bot is running')) {
            clearInterval(poll);
            kill('SIGTERM');
          }
        }, 50);
      },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/"reason":"SIGTERM".*stopping/);
  });

  it('a second signal while replies drain exits at once (143 for SIGTERM), even after a SIGINT', async () => {
    const dir = tmp();
    // A reply that is still being worked on when the stop comes.
    writeFileSync(join(dir, 'slow.mjs'), "export default { name: 'slow', onHandleContext: () => (console.error('slow plugin busy'), new Promise(() => {})) };\n");
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', plugins: ['./slow.mjs'], shutdown_grace_seconds: 60 }));
    const started = Date.now();
    let step = 0;
    const run = await runCli(['start'], {
      cwd: dir,
      input: 'hello\n',
      keepStdinOpen: true,
      onSpawn: (kill, output) => {
        const poll = setInterval(() => {
          if (step === 0 && output().includes('slow plugin busy')) {
            step = 1;
            kill('SIGINT');
          } else if (step === 1 && output().includes('"msg":"stopping"')) {
            step = 2;
            kill('SIGTERM');
            clearInterval(poll);
          }
        }, 50);
      },
    });
    expect(run.code).toBe(143);
    expect(run.stderr).toMatch(/SIGTERM while stopping: exiting now/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a channel that cannot start (its port is taken) exits 1 with what to change, not 70 with a stack', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dir = tmp();
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        bot_type: 'echo',
        wechatcom_corp_id: 'ww0123456789abcdef',
        wechatcomapp_token: 'token-0123456789',
        wechatcomapp_secret: 'secret-0123456789abcdef',
        wechatcomapp_agent_id: 1000002,
        wechatcomapp_aes_key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
        wechatcomapp_host: '127.0.0.1',
        wechatcomapp_port: port,
        voice_to_text: '',
        text_to_voice: '',
      }),
    );
    const run = await runCli(['start'], { cwd: dir }).finally(() => blocker.close());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/could not start: .*EADDRINUSE.*wechatcomapp_port/);
    expect(run.stderr).not.toMatch(/^wecom-bot: Error/m);
  });

  it('refuses a bad config with every problem named and exit code 1', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', max_concurrent_bot_calls: 'many', log_level: 'loud' }));
    const run = await runCli(['start'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has 2 problems/);
    expect(run.stderr).toMatch(/max_concurrent_bot_calls must be a number, got string/);
    expect(run.stderr).toMatch(/log_level/);
  });

  it('names an unknown channel_type', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'telegram', bot_type: 'echo' }));
    const run = await runCli(['start'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/channel_type "telegram" is not one of .*terminal/);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'ecko' }));
    const typo = await runCli(['start'], { cwd: dir });
    expect(typo.stderr).toMatch(/bot_type "ecko" is not one of .*Did you mean "echo"\?/);
  });
});

describe('wecom-bot init', () => {
  it('writes config.json from the template and never overwrites it', async () => {
    const dir = tmp();
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(readFileSync(templatePath, 'utf8'));
    writeFileSync(join(dir, 'config.json'), '{"mine": true}');
    const second = await runCli(['init'], { cwd: dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already exists/);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"mine": true}');
  });
});

describe('wecom-bot check', () => {
  it('passes on a complete config', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo' }));
    const run = await runCli(['check'], { cwd: dir });
    expect(run.stdout).toMatch(/✓ config file/);
    expect(run.stdout).toMatch(/Ready to start\./);
    expect(run.code).toBe(0);
  });

  it('on the template, names every missing WeCom key and the API key, and prints the callback URL', async () => {
    const run = await runCli(['check', '--config', templatePath], { cwd: tmp() });
    expect(run.code).toBe(1);
    for (const key of ['wechatcom_corp_id', 'wechatcomapp_token', 'wechatcomapp_secret', 'wechatcomapp_agent_id', 'wechatcomapp_aes_key', 'open_ai_api_key']) {
      expect(run.stdout).toMatch(new RegExp(`✗ ${key} is required`));
    }
    expect(run.stdout).toMatch(/callback URL .*:9898\/wxcomapp/);
    expect(run.stdout).toMatch(/6 problems to fix/);
  });

  it("loads a chatgpt-on-wechat config.json as it is, and never prints its secrets", async () => {
    const dir = tmp();
    // The shape of chatgpt-on-wechat's config.json for its wechatcom_app channel.
    const cow = {
      channel_type: 'wechatcom_app',
      model: 'gpt-3.5-turbo',
      open_ai_api_key: 'sk-cowcowcowcowcowcowcowcow',
      open_ai_api_base: 'https://api.openai.com/v1',
      proxy: '',
      hot_reload: false,
      single_chat_prefix: ['bot', '@bot'],
      single_chat_reply_prefix: '[bot] ',
      group_chat_prefix: ['@bot'],
      group_name_white_list: ['ChatGPT测试群', 'ChatGPT测试群2'],
      image_create_prefix: ['画', '看', '找'],
      speech_recognition: false,
      group_speech_recognition: false,
      voice_reply_voice: false,
      conversation_max_tokens: 1000,
      expires_in_seconds: 3600,
      character_desc: '你是ChatGPT, 一个由OpenAI训练的大型语言模型, 你旨在回答并解决人们的任何问题，并且可以使用多种语言与人交流。',
      temperature: 0.8,
      top_p: 1,
      subscribe_msg: '感谢您的关注！',
      use_linkai: false,
      wechatcom_corp_id: 'ww0123456789abcdef',
      wechatcomapp_token: 'cowtoken123',
      wechatcomapp_port: 9898,
      wechatcomapp_secret: 'cow-app-secret-value-0123456789',
      wechatcomapp_agent_id: '1000002',
      wechatcomapp_aes_key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
      plugin_trigger_prefix: '$',
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(cow, null, 2));
    const run = await runCli(['check'], { cwd: dir });
    const ignored = /chatgpt-on-wechat settings? that wecom-bot does not use, ignored: (.*)/.exec(run.stdout)?.[1] ?? '';
    expect(ignored).toMatch(/use_linkai/);
    // subscribe_msg is read now (the events plugin's welcome), not ignored.
    expect(ignored).not.toMatch(/subscribe_msg/);
    expect(run.stdout).toMatch(/Ready to start\./);
    expect(run.code).toBe(0);
    for (const secret of [cow.open_ai_api_key, cow.wechatcomapp_secret, cow.wechatcomapp_aes_key, cow.wechatcomapp_token]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it('fails with exit code 1 on an explicit --config that does not exist', async () => {
    const run = await runCli(['check', '--config', 'nope.json'], { cwd: tmp() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/nope\.json has 1 problem:[\s\S]*file not found/);
  });
});

describe('wecom-bot usage', () => {
  it('prints help and version, and exits 2 on an unknown command', async () => {
    const dir = tmp();
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/wecom-bot start\s+Start the configured channel and bot/);
    expect(help.stdout).toMatch(/Exit codes: 0 done, 1 config or environment to fix/);
    const version = await runCli(['--version'], { cwd: dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const wrong = await runCli(['launch'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/Unknown argument: launch/);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });
});
