import { describeFetchFailure, type AppConfig, type CheckItem, type LiveCheckContext } from '@wecom-bot/core';
import { publicUrl } from './check.js';
import { OpenAIClientProvider } from './client.js';
import { readOpenAIConfig, type OpenAIBotConfig } from './config.js';
import { loadSdk } from './sdk.js';

/**
 * `wecom-bot check --live` for OpenAI: lists the models at the configured base URL with the
 * key (through the proxy, as the bot would), and says whether the configured models are
 * among them. A read: nothing is generated, nothing is billed.
 */
export async function checkOpenAILive(raw: AppConfig, { signal }: LiveCheckContext): Promise<CheckItem[]> {
  const config = readOpenAIConfig(raw);
  const wanted = modelsInUse(config);
  if (wanted.length === 0) return [];
  const base = publicUrl(config.open_ai_api_base);
  let ids: string[];
  try {
    const page = await (await new OpenAIClientProvider(config).get()).models.list({ signal });
    ids = (page.data ?? []).map((model) => model.id);
  } catch (error) {
    return [{ level: 'error', message: explain(error, await loadSdk(), base, config, signal) }];
  }
  const items: CheckItem[] = [{ level: 'ok', message: `OpenAI API at ${base} accepted ${config.open_ai_api_key.trim() ? 'the key' : 'a request without a key'} and lists ${ids.length} model${ids.length === 1 ? '' : 's'}` }];
  for (const { key, model } of wanted) {
    if (ids.length === 0) {
      items.push({ level: 'warn', message: `${key} "${model}" could not be confirmed: ${base} lists no models (some compatible APIs list nothing)` });
    } else if (!ids.includes(model)) {
      const some = ids.slice(0, 8).join(', ');
      items.push({ level: 'warn', message: `${key} "${model}" is not among the models ${base} lists (${some}${ids.length > 8 ? ', …' : ''}); check the name (some compatible APIs list only part of what they serve)` });
    } else {
      items.push({ level: 'ok', message: `${key} "${model}" is available at ${base}` });
    }
  }
  return items;
}

/** The models the config uses at this API: the chat model, and the voice models when voice uses OpenAI. */
function modelsInUse(config: OpenAIBotConfig): Array<{ key: string; model: string }> {
  const wanted: Array<{ key: string; model: string }> = [];
  if (config.bot_type === 'openai') wanted.push({ key: 'model', model: config.model });
  if (config.voice_to_text === 'openai') wanted.push({ key: 'voice_to_text_model', model: config.voice_to_text_model });
  if (config.text_to_voice === 'openai') wanted.push({ key: 'text_to_voice_model', model: config.text_to_voice_model });
  return wanted;
}

/**
 * What the failure means for the config. The server's own message is left out of a 401: it
 * quotes part of the key.
 */
function explain(error: unknown, OpenAI: typeof import('openai'), base: string, config: OpenAIBotConfig, signal: AbortSignal): string {
  if (signal.aborted || error instanceof OpenAI.APIUserAbortError || error instanceof OpenAI.APIConnectionTimeoutError) {
    return `OpenAI API at ${base} did not answer in time: not reachable from here (check open_ai_api_base, proxy and the network)`;
  }
  if (error instanceof OpenAI.APIConnectionError) {
    // The SDK wraps fetch's error, whose cause has the code (ECONNREFUSED …).
    return `${describeFetchFailure(error.cause ?? error, `the OpenAI API at ${base}`)}; check open_ai_api_base${config.proxy ? ', proxy' : ''} and the network`;
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const code = error.code ? ` [${error.code}]` : '';
    if (error.status === 401) {
      return config.open_ai_api_key.trim()
        ? `${base} rejected open_ai_api_key (401${code}): set it to a valid key of this service`
        : `${base} needs an API key (401${code}): set open_ai_api_key`;
    }
    if (error.status === 403) return `${base} refused the key (403${code}): it lacks access (project, organisation or region)`;
    if (error.status === 404) {
      const hint = /\/v\d+$/.test(base) ? 'check open_ai_api_base' : `open_ai_api_base probably lacks /v1 (try ${base}/v1)`;
      return `${base}/models answered 404: ${hint}`;
    }
    return `${base} answered ${error.message.slice(0, 160)}${code} to GET /models`;
  }
  return `OpenAI live check failed at ${base}: ${error instanceof Error ? error.message : String(error)}`;
}
