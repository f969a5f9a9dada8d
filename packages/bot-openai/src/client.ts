import type OpenAI from 'openai';
import type { ClientOptions } from 'openai';
import type { OpenAIConfig } from './config.js';
import { OpenAIApi } from './http/api.js';
import { loadUndici } from './http/transport.js';
import { loadSdk } from './sdk.js';

/**
 * Local servers (Ollama, vLLM) take no key, but the SDK insists on one: this placeholder is
 * sent instead, and a server that needs a key answers 401, which the log explains.
 */
const NO_KEY = 'no-key-configured';

/** The connection settings a client is built from; a change (a config reload) builds a new one. */
function settingsOf(config: OpenAIConfig) {
  return {
    apiKey: config.open_ai_api_key.trim() || NO_KEY,
    baseURL: config.open_ai_api_base.replace(/\/+$/, ''),
    proxy: config.proxy,
    timeoutMs: config.request_timeout * 1000,
  };
}

type Settings = ReturnType<typeof settingsOf>;

/**
 * The two ways to the API, each built on first use (so a deployment that never calls OpenAI
 * needs no key) and again only when the settings change: the direct chat call, made for every
 * message, and the `openai` SDK for the rest (images, voice, the model list), imported only
 * then. The SDK's own retries are off: ours (retry.ts) bound the whole answer and log through
 * our logger.
 */
export class OpenAIClientProvider {
  private client: { fingerprint: string; sdk: OpenAI } | undefined;
  private direct: { fingerprint: string; api: OpenAIApi } | undefined;

  constructor(private readonly config: OpenAIConfig) {}

  /** The SDK's client (the module is imported on the first call). */
  async get(): Promise<OpenAI> {
    const settings = settingsOf(this.config);
    const fingerprint = JSON.stringify(settings);
    if (this.client?.fingerprint !== fingerprint) {
      const { OpenAI } = await loadSdk();
      this.client = { fingerprint, sdk: createClient(OpenAI, settings) };
    }
    return this.client.sdk;
  }

  /** The direct way, for chat completions. */
  api(): OpenAIApi {
    const settings = settingsOf(this.config);
    // The timeout is no part of it: the caller's signal bounds each call.
    const fingerprint = `${settings.apiKey}\n${settings.baseURL}\n${settings.proxy}`;
    if (this.direct?.fingerprint !== fingerprint) this.direct = { fingerprint, api: new OpenAIApi(settings.baseURL, settings.apiKey, settings.proxy) };
    return this.direct.api;
  }

  get baseURL(): string {
    return settingsOf(this.config).baseURL;
  }
}

function createClient(Client: typeof OpenAI, settings: Settings): OpenAI {
  return new Client({
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    maxRetries: 0,
    // A backstop only: our per-attempt deadline (retry.ts) is the same length and starts first.
    timeout: settings.timeoutMs + 1000,
    logLevel: 'off',
    // undici's own fetch with its own ProxyAgent: Node's bundled fetch may be another undici
    // version, and mixing the two fails on some Node releases.
    ...(settings.proxy ? proxiedFetch(settings.proxy) : {}),
  });
}

function proxiedFetch(proxy: string): Pick<ClientOptions, 'fetch' | 'fetchOptions'> {
  const { fetch, ProxyAgent } = loadUndici();
  return { fetch: fetch as unknown as typeof globalThis.fetch, fetchOptions: { dispatcher: new ProxyAgent(proxy) } as ClientOptions['fetchOptions'] };
}
