/**
 * Test helpers for packages that talk to OpenAI through wecom-bot: a loopback server that
 * speaks the OpenAI API. Import from "@wecom-bot/bot-openai/testing".
 */
export {
  startFakeOpenAI,
  openAIError,
  FAKE_MODELS,
  type FakeOpenAI,
  type FakeOpenAIOptions,
  type FakeRequest,
  type FakeReply,
  type FakeFile,
  type FakeHandler,
  type FakeRoute,
} from './fake-openai.js';
export { silentMp3 } from './silent-mp3.js';
