/** Test helpers for packages that drive the wechatcom_app channel: "@wecom-bot/channel-wechatcom-app/testing". */
export { FakeWecomApi, type Fault, type RecordedCall, type UploadedMedia, type FakeWecomApiOptions } from './fake-wecom-api.js';
export {
  WecomCallbackClient,
  inboundXml,
  memberMessage,
  nextMsgId,
  type CallbackAnswer,
  type CallbackClientOptions,
  type PreparedCallback,
} from './callback-client.js';
export { testWecomConfig, TEST_AES_KEY } from './test-config.js';
