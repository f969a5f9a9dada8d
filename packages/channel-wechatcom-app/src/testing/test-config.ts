/** A valid 43-character EncodingAESKey for tests (not a real app's key). */
export const TEST_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

/** Raw config for the wechatcom_app channel on loopback, pointed at a fake API. */
export function testWecomConfig(apiBase: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel_type: 'wechatcom_app',
    wechatcom_corp_id: 'wwTestCorp0123456789',
    wechatcomapp_token: 'TestToken8Hq2xZ',
    wechatcomapp_secret: 'TestAppSecret-kJ81mZqL0pA7sV3nX9yB4cW6',
    wechatcomapp_agent_id: 1000002,
    wechatcomapp_aes_key: TEST_AES_KEY,
    wechatcomapp_port: 0,
    wechatcomapp_host: '127.0.0.1',
    wechatcomapp_api_base: apiBase,
    ...overrides,
  };
}
