import { createRequire } from 'node:module';
import OpenAI, { type ClientOptions } from 'openai';
import type { OpenAIConfig } from './config.js';

/** undici is loaded only when a proxy is set: it is large, and start-up would pay for it always. */
const loadUndici = () => createRequire(import.meta.url)('undici') as typeof import('undici');

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

/**
 * Creates the OpenAI client on first use (so a deployment that never calls OpenAI needs no
 * key) and again only when its settings change. The SDK's own retries are off: ours
 * (retry.ts) bound the whole answer and log through our logger.
 */
export class OpenAIClientProvider {
  private client: OpenAI | undefined;
  private fingerprint = '';

  constructor(private readonly config: OpenAIConfig) {}

  get(): OpenAI {
    const settings = settingsOf(this.config);
    const fingerprint = JSON.stringify(settings);
    if (!this.client || fingerprint !== this.fingerprint) {
      this.client = createClient(settings);
      this.fingerprint = fingerprint;
    }
    return this.client;
  }

  get baseURL(): string {
    return settingsOf(this.config).baseURL;
  }
}

function createClient(settings: ReturnType<typeof settingsOf>): OpenAI {
  return new OpenAI({
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
