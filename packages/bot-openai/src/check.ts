import type { AppConfig, CheckItem } from '@wecom-bot/core';
import { isOfficialBase, readOpenAIConfig } from './config.js';

/**
 * `wecom-bot check` lines for OpenAI: whether a key is set (never any of its characters),
 * which base URL and proxy are used, and whether timeouts fit the pipeline's. No network.
 */
export function checkOpenAI(raw: AppConfig): CheckItem[] {
  const config = readOpenAIConfig(raw);
  const chat = config.bot_type === 'openai';
  const voice = config.voice_to_text === 'openai' || config.text_to_voice === 'openai';
  if (!chat && !voice) return [];
  const items: CheckItem[] = [];
  const base = config.open_ai_api_base;
  const hasKey = config.open_ai_api_key.trim() !== '';
  const uses = [chat && 'chat', chat && 'images', voice && 'voice'].filter(Boolean).join(', ');

  if (hasKey) items.push({ level: 'ok', message: `OpenAI API key is configured (used for ${uses})` });
  else if (isOfficialBase(base)) {
    // For chat, config validation already reports the missing key as an error.
    if (!chat) items.push({ level: 'warn', message: 'OpenAI API key is missing: voice messages will fail; set open_ai_api_key, or set voice_to_text/text_to_voice to "" to turn voice off' });
  } else items.push({ level: 'warn', message: `no OpenAI API key configured; fine for servers that need none (Ollama, vLLM) at ${publicUrl(base)}` });

  items.push({ level: 'ok', message: `OpenAI API base: ${publicUrl(base)}${isOfficialBase(base) ? ' (official)' : ' (OpenAI-compatible)'}` });
  if (/^http:\/\//i.test(base) && !isLoopback(base) && hasKey) {
    items.push({ level: 'warn', message: 'open_ai_api_base is plain http to another machine: the API key travels unencrypted' });
  }
  const proxy = config.proxy;
  if (proxy) items.push({ level: 'ok', message: `OpenAI requests go through the proxy ${publicUrl(proxy)}` });

  const worstSeconds = config.request_timeout * (config.max_retries + 1);
  const replyTimeout = config.reply_timeout_seconds;
  if (chat && worstSeconds > replyTimeout) {
    items.push({
      level: 'warn',
      message: `request_timeout × (max_retries + 1) = ${worstSeconds} s exceeds reply_timeout_seconds (${replyTimeout} s): the last retries are cut short at reply_timeout_seconds`,
    });
  }
  return items;
}

/** An URL without user:password, safe to print. */
export function publicUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = '***';
      url.password = '';
    }
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(not a valid URL)';
  }
}

function isLoopback(value: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(value).hostname);
  } catch {
    return false;
  }
}
