import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPlugins } from './check.js';
import { validatedConfig } from './testing/index.js';

const examples = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../examples/plugins');

describe('checkPlugins', () => {
  it('reports the ffmpeg found, the admin password state, the data files and each user plugin', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wecom-bot-check-'));
    writeFileSync(join(dataDir, 'keyword.json'), '{"a": "b", "c": "d"}');
    writeFileSync(join(dataDir, 'banwords.txt'), 'x\ny\n');
    const items = await checkPlugins(validatedConfig({ data_dir: dataDir, plugins: ['./weather.ts', './nope.mjs'] }), { baseDir: examples });
    const text = items.map((i) => `${i.level} ${i.message}`);
    expect(text[0]).toMatch(/^ok ffmpeg with an AMR-NB encoder: .*ffmpeg \(from /);
    expect(text).toContain('ok admin_password is empty: #auth is off and nobody can run admin commands');
    expect(text.some((t) => t.startsWith('ok banwords: 2 words'))).toBe(true);
    expect(text.some((t) => t.startsWith('ok keyword: 2 answers'))).toBe(true);
    expect(text).toContain('ok user plugin weather loads from ./weather.ts');
    expect(text.some((t) => t.startsWith('warn user plugin ./nope.mjs will be skipped: file not found'))).toBe(true);
  });

  it('names what to install when the configured ffmpeg cannot write AMR and voice replies are on', async () => {
    const fakeFfmpeg = join(mkdtempSync(join(tmpdir(), 'wecom-bot-ff-')), 'ffmpeg');
    // A binary that runs but lists no AMR encoder, like a minimal ffmpeg build.
    writeFileSync(fakeFfmpeg, '#!/bin/sh\necho " A..... aac  AAC (Advanced Audio Coding)"\n', { mode: 0o755 });
    const { locateFfmpeg, describeLocation } = await import('./voice/ffmpeg-locator.js');
    const location = await locateFfmpeg(fakeFfmpeg, { PATH: '' });
    expect(location.probes[0]).toMatchObject({ source: 'ffmpeg_path', works: true, amrEncoder: false });
    // The bundled one is next in line and has the encoder, so it is chosen.
    expect(location.chosen?.source).toBe('@ffmpeg-installer/ffmpeg');
    expect(describeLocation({ chosen: location.probes[0], probes: [location.probes[0]!] })).toContain('pnpm add @ffmpeg-installer/ffmpeg');
  });

  it('does not hang on a user plugin whose import never finishes', async () => {
    const fixtures = resolve(fileURLToPath(new URL('.', import.meta.url)), 'loader/fixtures');
    const items = await checkPlugins(validatedConfig({ plugins: ['./hangs-on-import.mjs'] }), { baseDir: fixtures, timeLimitMs: 300 });
    expect(items.map((i) => `${i.level} ${i.message}`)).toContain('warn user plugin ./hangs-on-import.mjs will be skipped: it did not load within 0.3 s');
  });
});
