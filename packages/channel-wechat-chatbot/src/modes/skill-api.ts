import { createHash, timingSafeEqual } from 'node:crypto';
import { createContext, type Context } from '@wecom-bot/core';
import { decryptPlainAes, encryptPlainAes } from '@wecom-bot/wx-crypto';
import { z } from 'zod';
import { RequestError, type HttpAnswer } from '../http-answer.js';
import { renderSkillResponse } from '../skill-response.js';

/** Mode 1, skill reply by API (doc aispeech/confapi/thirdapi): the fields we use. */
const SkillRequestSchema = z.object({
  RequestId: z.union([z.string(), z.number()]).optional(),
  SessionId: z.union([z.string(), z.number()]).optional(),
  Query: z.string(),
  SkillName: z.string().default(''),
  IntentName: z.string().default(''),
  Slots: z.array(z.object({ SlotName: z.string().optional(), SlotValue: z.unknown(), NormalizeValue: z.unknown() }).loose()).default([]),
  Timestamp: z.union([z.string(), z.number()]).optional(),
  Signature: z.string().optional(),
  UserId: z.union([z.string(), z.number()]).optional(),
}).loose();
export type SkillRequest = z.infer<typeof SkillRequestSchema>;

export interface SkillOptions {
  token: string;
  aesKey: string;
  encrypt: boolean;
  verifySignature: boolean;
}

/** No error shape is documented for mode 1; this small JSON is ours. */
const skillError = (status: number, message: string, error: string) => new RequestError(status, message, { error });
const UNDECRYPTABLE = 'undecryptable';

/** md5(token + Timestamp + SkillName + IntentName + Query), lower-case hex, as the doc specifies. */
export function skillSignature(token: string, timestamp: string, skillName: string, intentName: string, query: string): string {
  return createHash('md5').update(token + timestamp + skillName + intentName + query, 'utf8').digest('hex');
}

/** Decrypts (when on), parses and checks the signature (when on) of a skill request body. */
export function parseSkillRequest(rawBody: string, options: SkillOptions): SkillRequest {
  const json = options.encrypt ? decryptBody(rawBody.trim(), options.aesKey) : rawBody;
  // Encrypted: a body whose padding was valid but whose text is not a request must answer
  // exactly like a padding failure, or the difference is a CBC padding oracle. The log tells.
  const refuse = (message: string, error: string) => skillError(400, message, options.encrypt ? UNDECRYPTABLE : error);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw refuse('skill request body is not valid JSON', 'bad json');
  }
  const result = SkillRequestSchema.safeParse(parsed);
  if (!result.success) throw refuse(`skill request has no usable Query: ${result.error.issues[0]?.message ?? 'invalid'}`, 'bad request');
  const request = result.data;
  if (options.verifySignature) checkSignature(request, options.token);
  return request;
}

function decryptBody(body: string, aesKey: string): string {
  if (body.startsWith('{')) {
    throw skillError(400, 'skill request is plain JSON but wechat_chatbot_encrypt is true: turn encryption on in the platform, or set wechat_chatbot_encrypt to false', 'not encrypted');
  }
  try {
    return decryptPlainAes(aesKey, body);
  } catch {
    // One answer for every failure: no padding oracle.
    throw skillError(400, 'skill request body could not be decrypted: check wechat_chatbot_aes_key against the platform console', UNDECRYPTABLE);
  }
}

function checkSignature(request: SkillRequest, token: string): void {
  const expected = skillSignature(token, String(request.Timestamp ?? ''), request.SkillName, request.IntentName, request.Query);
  const got = (request.Signature ?? '').toLowerCase();
  const same = timingSafeEqual(sha256(expected), sha256(got));
  if (!same) throw skillError(401, 'skill request Signature does not match: check wechat_chatbot_token, or set wechat_chatbot_verify_signature to false if the platform does not sign', 'bad signature');
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Who asked: UserId, else the platform's SessionId. */
export function skillUser(request: SkillRequest): string {
  return String(request.UserId ?? request.SessionId ?? '');
}

export function skillContext(request: SkillRequest, channel: string): Context {
  const user = skillUser(request);
  return createContext({
    type: 'TEXT',
    content: request.Query,
    channel,
    senderId: user,
    receiver: user,
    messageId: request.RequestId === undefined ? undefined : String(request.RequestId),
    raw: request,
  });
}

/** The response body, encrypted the same way as the request when encryption is on. */
export function skillAnswer(text: string, options: Pick<SkillOptions, 'encrypt' | 'aesKey'>): HttpAnswer {
  const json = renderSkillResponse(text);
  return { status: 200, body: options.encrypt ? encryptPlainAes(options.aesKey, JSON.stringify(json)) : json };
}
