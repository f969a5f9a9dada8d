import { apiFailureOf } from './api-failure.js';
import { RequestTimeoutError } from './retry.js';

/** What went wrong, for the user (short, Chinese, actionable) and for the log (why). */
export interface DescribedError {
  /** Shown to the user in WeCom. */
  user: string;
  /** Written to the log; never contains the key (the logger masks it as well). */
  log: string;
}

export const USER_MESSAGES = {
  busy: '请求太频繁，请稍后再试。',
  quota: '服务额度已用完，请联系管理员。',
  config: '机器人配置有误，请联系管理员。',
  tooLong: '这次的内容太长了，请精简后再试。',
  unsafe: '这个请求未通过内容安全审核，请换个说法再试。',
  unavailable: '模型服务暂时不可用，请稍后再试。',
  timeout: '回答超时了，请稍后再试。',
  unreachable: '暂时连不上模型服务，请稍后再试。',
  generic: '抱歉，出了点问题，请稍后再试。',
} as const;

/** Maps an error of the API (SDK or direct call) or of our retry loop to a user message and a log reason. */
export function describeOpenAIError(error: unknown, where: { baseURL: string; model: string }): DescribedError {
  const at = `${where.model} at ${where.baseURL}`;
  if (error instanceof RequestTimeoutError) {
    return { user: USER_MESSAGES.timeout, log: `${at} gave no complete answer within ${error.timeoutMs / 1000} s (request_timeout, or what was left of reply_timeout_seconds)` };
  }
  const failure = apiFailureOf(error);
  if (failure?.kind === 'timeout') {
    return { user: USER_MESSAGES.timeout, log: `${at} gave no answer in time (the SDK's timeout)` };
  }
  if (failure?.kind === 'connection') {
    const cause = failure.cause instanceof Error ? `: ${failure.cause.message}` : '';
    return { user: USER_MESSAGES.unreachable, log: `cannot reach ${where.baseURL} (${failure.message}${cause}); check open_ai_api_base, proxy and the network` };
  }
  if (failure?.kind === 'status') {
    const { status, code } = failure;
    // The message already starts with the status ("500 The server had an error").
    const said = `${failure.message}${code ? ` [${code}]` : ''}`;
    if (status === 429 && code === 'insufficient_quota') return { user: USER_MESSAGES.quota, log: `${at} says the quota is used up (${said}); check billing` };
    if (status === 429) return { user: USER_MESSAGES.busy, log: `${at} is rate limiting (${said})` };
    if (status === 401) return { user: USER_MESSAGES.config, log: `${at} rejected the API key (${said}); check open_ai_api_key` };
    if (status === 403) return { user: USER_MESSAGES.config, log: `${at} refused access (${said}); the key may lack access to this model or region` };
    if (status === 404) return { user: USER_MESSAGES.config, log: `${at} not found (${said}); check the model name and open_ai_api_base (it usually ends in /v1)` };
    if (code === 'context_length_exceeded') return { user: USER_MESSAGES.tooLong, log: `${at}: context too long (${said}); lower conversation_max_tokens` };
    if (code === 'content_policy_violation' || code === 'content_filter') return { user: USER_MESSAGES.unsafe, log: `${at} refused the content (${said})` };
    if (status >= 500) return { user: USER_MESSAGES.unavailable, log: `${at} failed (${said})` };
    return { user: USER_MESSAGES.generic, log: `${at} rejected the request (${said})` };
  }
  return { user: USER_MESSAGES.generic, log: `${at} call failed: ${error instanceof Error ? error.message : String(error)}` };
}

/** An error carrying its user message, for callers outside the bot (the voice plugin). */
export class OpenAIRequestError extends Error {
  constructor(
    readonly described: DescribedError,
    options?: { cause?: unknown },
  ) {
    super(described.log, options);
    this.name = 'OpenAIRequestError';
  }

  get userMessage(): string {
    return this.described.user;
  }
}
