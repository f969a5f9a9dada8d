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
    expect(text[0]).toMatch(/^ok voice uses ffmpeg .*ffmpeg \(ffmpeg \S+ of \d{4}, from .*\), which has an AMR-NB encoder$/);
    expect(text).toContain('ok admin_password is empty: #auth is off and nobody can run admin commands');
    expect(text.some((t) => t.startsWith('ok banwords: 2 words'))).toBe(true);
    expect(text.some((t) => t.startsWith('ok keyword: 2 answers'))).toBe(true);
    expect(text).toContain('ok user plugin weather loads from ./weather.ts');
    // Start-up would run without it: an error, so `check` does not say "Ready to start".
    expect(text.some((t) => t.startsWith('error user plugin ./nope.mjs cannot load (`wecom-bot start` would run without it): file not found'))).toBe(true);
  });

  it('a configured ffmpeg_path without an AMR encoder, or missing, is an error and nothing else is tried', async () => {
    const fakeFfmpeg = join(mkdtempSync(join(tmpdir(), 'wecom-bot-ff-')), 'ffmpeg');
    // A binary that runs but lists no AMR encoder, like Debian's plain ffmpeg.
    writeFileSync(fakeFfmpeg, '#!/bin/sh\necho " A..... aac  AAC (Advanced Audio Coding)"\n', { mode: 0o755 });
    for (const [path, why] of [[fakeFfmpeg, 'has no AMR-NB encoder'], ['/nonexistent/ffmpeg', 'cannot be run (not found)']] as const) {
      const items = await checkPlugins(validatedConfig({ ffmpeg_path: path }));
      const line = items.find((i) => i.message.includes('ffmpeg'))!;
      expect(line.level).toBe('error');
      expect(line.message).toContain(`ffmpeg_path names ${path}`);
      expect(line.message).toContain(why);
      expect(line.message).toMatch(/no other ffmpeg is tried/);
      expect(line.message).toMatch(/libavcodec-extra/);
    }
  });

  it('prefers a system ffmpeg with an AMR encoder over the bundled 2018 build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-ff-'));
    writeFileSync(join(dir, 'ffmpeg'), '#!/bin/sh\ncase "$1" in -version) echo "ffmpeg version 7.1.1-1 Copyright (c) 2000-2025 the FFmpeg developers";; *) echo " A..... libopencore_amrnb  OpenCORE AMR-NB (codec amr_nb)";; esac\n', { mode: 0o755 });
    const { locateFfmpeg, describeLocation } = await import('./voice/ffmpeg-locator.js');
    const location = await locateFfmpeg('', { PATH: dir });
    expect(location.chosen).toMatchObject({ source: 'PATH', amrEncoder: true, version: 'ffmpeg 7.1.1-1 of 2025' });
    expect(describeLocation(location)).toBe(`voice uses ffmpeg ${join(dir, 'ffmpeg')} (ffmpeg 7.1.1-1 of 2025, from PATH), which has an AMR-NB encoder`);
  });

  it('does not hang on a user plugin whose import never finishes', async () => {
    const fixtures = resolve(fileURLToPath(new URL('.', import.meta.url)), 'loader/fixtures');
    const items = await checkPlugins(validatedConfig({ plugins: ['./hangs-on-import.mjs'] }), { baseDir: fixtures, timeLimitMs: 300 });
    expect(items.map((i) => `${i.level} ${i.message}`)).toContain('error user plugin ./hangs-on-import.mjs cannot load (`wecom-bot start` would run without it): it did not load within 0.3 s');
  });
});
