import type { AppConfig, ForeignKeyMapping } from '@wecom-bot/core';

/**
 * chatgpt-on-wechat 2.x keeps one key (and base URL) per provider; each of these speaks the
 * OpenAI API, so its key and base become our open_ai_api_key / open_ai_api_base. Bases are
 * the providers' OpenAI-compatible endpoints (cow's own defaults where it has one).
 */
interface Provider {
  key: string;
  baseKey?: string;
  base: string;
  /** Model names that say this provider is meant when several keys are filled. */
  models: RegExp;
}

export const COW_PROVIDERS: readonly Provider[] = [
  { key: 'deepseek_api_key', baseKey: 'deepseek_api_base', base: 'https://api.deepseek.com/v1', models: /^deepseek/i },
  { key: 'dashscope_api_key', base: 'https://dashscope.aliyuncs.com/compatible-mode/v1', models: /^(qwen|qwq)/i },
  { key: 'moonshot_api_key', baseKey: 'moonshot_base_url', base: 'https://api.moonshot.cn/v1', models: /^(moonshot|kimi)/i },
  { key: 'zhipu_ai_api_key', baseKey: 'zhipu_ai_api_base', base: 'https://open.bigmodel.cn/api/paas/v4', models: /^glm/i },
  { key: 'ark_api_key', baseKey: 'ark_base_url', base: 'https://ark.cn-beijing.volces.com/api/v3', models: /^doubao/i },
  { key: 'minimax_api_key', baseKey: 'minimax_api_base', base: 'https://api.minimaxi.com/v1', models: /^(minimax|abab)/i },
  { key: 'qianfan_api_key', baseKey: 'qianfan_api_base', base: 'https://qianfan.baidubce.com/v2', models: /^ernie/i },
  { key: 'modelscope_api_key', baseKey: 'modelscope_base_url', base: 'https://api-inference.modelscope.cn/v1', models: /^$/ },
  { key: 'gemini_api_key', base: 'https://generativelanguage.googleapis.com/v1beta/openai', models: /^gemini/i },
  { key: 'custom_api_key', baseKey: 'custom_api_base', base: '', models: /^$/ },
];

/** Every cow 2.x provider key the loader reads (config.json or upper-cased environment variable). */
export const COW_PROVIDER_KEYS = COW_PROVIDERS.flatMap((p) => [p.key, ...(p.baseKey ? [p.baseKey] : []), ...(p.key === 'gemini_api_key' ? ['gemini_api_base'] : [])]);

const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * When open_ai_api_key is empty and a provider key is filled, that provider answers: the one
 * `model` names, else the first filled. open_ai_api_base follows unless the user set their own.
 */
export function mapCowProviderKeys(raw: AppConfig): ForeignKeyMapping[] {
  if (filled(raw.open_ai_api_key)) return [];
  const candidates = COW_PROVIDERS.filter((p) => filled(raw[p.key]));
  const model = typeof raw.model === 'string' ? raw.model : '';
  const chosen = candidates.find((p) => p.models.test(model)) ?? candidates[0];
  if (!chosen) return [];
  const mappings: ForeignKeyMapping[] = [{ key: 'open_ai_api_key', value: raw[chosen.key], from: `${chosen.key} (chatgpt-on-wechat 2.x)` }];
  const ownBase = raw.open_ai_api_base;
  if (!filled(ownBase) || /^https:\/\/api\.openai\.com\/v1\/?$/.test(ownBase)) {
    const given = chosen.baseKey ? raw[chosen.baseKey] : undefined;
    // cow's modelscope default ends in /chat/completions; the SDK adds that itself.
    const base = filled(given) ? given.replace(/\/chat\/completions\/?$/, '') : chosen.base;
    if (base !== '') mappings.push({ key: 'open_ai_api_base', value: base, from: filled(given) ? `${chosen.baseKey!} (chatgpt-on-wechat 2.x)` : `${chosen.key}'s provider (its OpenAI-compatible endpoint)` });
  }
  return mappings;
}
