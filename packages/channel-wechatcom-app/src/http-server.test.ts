import { memoryLogger } from '@wecom-bot/core/testing';
import { describe, expect, it } from 'vitest';
import { wechatcomAppConfigSection } from './config.js';
import { createCallbackServer } from './http-server.js';

describe('createCallbackServer', () => {
  it('limits headers and body to the request timeout (10 s by default) and idle connections to 5 s', () => {
    const defaultMs = wechatcomAppConfigSection.shape.wechatcomapp_request_timeout_ms.parse(undefined);
    expect(defaultMs).toBe(10_000);
    const server = createCallbackServer(() => undefined, { requestTimeoutMs: defaultMs, logger: memoryLogger().logger });
    expect({ request: server.requestTimeout, headers: server.headersTimeout, idle: server.keepAliveTimeout }).toEqual({ request: 10_000, headers: 10_000, idle: 5_000 });
  });

  it('does not trust X-Forwarded-For unless trust_proxy is set', () => {
    expect(wechatcomAppConfigSection.shape.trust_proxy.parse(undefined)).toBe(false);
  });
});
