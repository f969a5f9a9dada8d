import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOKENS } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import { describe, expect, it } from 'vitest';
import { pluginsConfigSection } from './config.js';
import { describeOutcomes, registerPlugins } from './register.js';
import { textMessage } from './testing.js';

const examples = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../examples/plugins');

describe('registerPlugins', () => {
  it('adds the built-ins in priority order and the user plugins relative to config.json; disabled_plugins start off', async () => {
    const app = createTestApp(
      { plugins: ['./signature.mjs', './missing.ts'], disabled_plugins: ['keyword'] },
      { sections: [pluginsConfigSection] },
    );
    app.container.registerInstance(TOKENS.ConfigPath, resolve(examples, 'config.json'));
    const outcomes = await registerPlugins(app.container);
    expect(app.plugins.list().map((p) => [p.name, p.priority, p.enabled])).toEqual([
      ['admin', 1000, true],
      ['group-whitelist', 900, true],
      ['banwords', 850, true],
      ['voice', 800, true],
      ['prefix', 600, true],
      ['image-create', 500, true],
      ['keyword', 400, false],
      ['signature', -10, true],
    ]);
    expect(describeOutcomes(outcomes)).toMatch(/^signature ok, \.\/missing\.ts skipped \(file not found: /);
    await app.pipeline.handle(textMessage('hi'));
    expect(app.recorder.sent[0]?.reply.content).toBe('hi\n\n—— 由 AI 生成，仅供参考');
  });
});
