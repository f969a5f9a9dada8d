/** Test helpers shared by the plugin tests (a test app with the built-ins loaded) and real audio made and measured by ffmpeg. */
import { createContext, type AppConfig, type Channel, type Context, type ContextInit } from '@wecom-bot/core';
import { createTestApp, RecordingChannel } from '@wecom-bot/core/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBuiltinPlugins, type BuiltinOptions } from './builtins.js';
import { pluginsConfigSection } from './config.js';

export { decodeToPcm, makeTone, rms } from './voice/test-helpers.js';

/** A recording channel that, like WeCom, takes voice as AMR of ≤ 60 s and ≤ 2 MB. */
export class AmrRecordingChannel extends RecordingChannel {
  readonly voiceOutput = { format: 'amr', maxSeconds: 60, maxBytes: 2 * 1024 * 1024 };
  readonly canMention = true;
}

/** A core test app (echo bot) with the plugins' config section and every built-in loaded; data_dir is a fresh temp dir. */
export async function pluginTestApp(raw: AppConfig = {}, options: BuiltinOptions & { channel?: RecordingChannel } = {}) {
  const channel = options.channel ?? new RecordingChannel();
  const dataDir = mkdtempSync(join(tmpdir(), 'wecom-bot-plugins-test-'));
  const app = createTestApp({ data_dir: dataDir, ...raw }, { sections: [pluginsConfigSection], channel: channel as Channel });
  await loadBuiltinPlugins(app.plugins, app.config, options);
  return { ...app, recorder: channel, dataDir };
}

export function textMessage(content: string, init: Partial<ContextInit> = {}): Context {
  return createContext({ type: 'TEXT', content, channel: 'recording', senderId: 'alice', ...init });
}

export function groupMessage(content: string, init: Partial<ContextInit> = {}): Context {
  return textMessage(content, { isGroup: true, groupId: 'g1', groupName: 'Team', receiver: 'g1', senderName: 'Alice', ...init });
}

/** The text of every reply sent so far. */
export function sentTexts(recorder: RecordingChannel): string[] {
  return recorder.sent.map((s) => (typeof s.reply.content === 'string' ? s.reply.content : `[${s.reply.type}]`));
}
