import { existsSync, readFileSync } from 'node:fs';
import { withinTime, type AppConfig, type CheckItem } from '@wecom-bot/core';
import { adminConfigSection } from './admin/admin-plugin.js';
import { BANWORDS_FILE, banwordsConfigSection } from './banwords/banwords-plugin.js';
import { WordList } from './banwords/word-list.js';
import { KEYWORD_FILE, keywordConfigSection, parseKeywords } from './keyword/keyword-plugin.js';
import { DEFAULT_TIME_LIMIT_MS, importUserPlugin, userPluginEntries } from './loader/load-user-plugins.js';
import { dataFile } from './shared/data-file.js';
import { describeLocation, locateFfmpeg } from './voice/ffmpeg-locator.js';
import { voiceConfigSection } from './voice/voice-plugin.js';

/**
 * `wecom-bot check` for the plugins: which ffmpeg voice would use (an error only when voice
 * replies are switched on and nothing can write AMR), the admin password, the banwords and
 * keyword files, and whether each user plugin loads.
 */
export async function checkPlugins(config: AppConfig, options: { baseDir?: string; timeLimitMs?: number } = {}): Promise<CheckItem[]> {
  const items: CheckItem[] = [];

  const voice = voiceConfigSection.read(config);
  const location = await locateFfmpeg(voice.ffmpeg_path);
  const voiceOut = voice.voice_reply_voice || voice.always_reply_voice;
  // A configured binary that cannot do the job is an error: the admin chose it, nothing replaces it.
  const broken = voiceOut || location.configured;
  items.push({ level: location.chosen?.amrEncoder ? 'ok' : broken ? 'error' : 'warn', message: describeLocation(location) });

  const admin = adminConfigSection.read(config);
  items.push(
    admin.admin_password === ''
      ? { level: 'ok', message: `admin_password is empty: #auth is off${admin.admin_users.length ? `; admins: ${admin.admin_users.join(', ')}` : ' and nobody can run admin commands'}` }
      : { level: 'ok', message: 'admin_password is set: #auth is on' },
  );

  const { banwords_file } = banwordsConfigSection.read(config);
  const banwords = dataFile(config, banwords_file, BANWORDS_FILE);
  if (existsSync(banwords)) items.push({ level: 'ok', message: `banwords: ${WordList.parse(readFileSync(banwords, 'utf8')).words.filter((w) => w.trim()).length} words from ${banwords}` });
  else if (banwords_file) items.push({ level: 'warn', message: `banwords_file ${banwords} does not exist; no words are banned` });

  const { keyword_file } = keywordConfigSection.read(config);
  const keywords = dataFile(config, keyword_file, KEYWORD_FILE);
  if (existsSync(keywords)) {
    try {
      items.push({ level: 'ok', message: `keyword: ${parseKeywords(readFileSync(keywords, 'utf8'), keywords).size} answers from ${keywords}` });
    } catch (error) {
      items.push({ level: 'warn', message: `keyword file ${keywords} is not valid: ${(error as Error).message}; keywords are off` });
    }
  } else if (keyword_file) items.push({ level: 'warn', message: `keyword_file ${keywords} does not exist` });

  for (const entry of userPluginEntries(config)) {
    try {
      const limitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
      const plugin = await withinTime(importUserPlugin(entry, options.baseDir ?? process.cwd()), limitMs, `it did not load within ${limitMs / 1000} s`);
      items.push({ level: 'ok', message: `user plugin ${plugin.name} loads from ${entry.from}` });
    } catch (error) {
      // Start-up would skip it and run without it: the admin named it, so that is a problem to fix.
      items.push({ level: 'error', message: `user plugin ${entry.from} cannot load (\`wecom-bot start\` would run without it): ${(error as Error).message.split('\n')[0]}` });
    }
  }
  return items;
}
