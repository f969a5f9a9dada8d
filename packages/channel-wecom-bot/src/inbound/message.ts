import { z } from 'zod';

const media = z.object({ url: z.string().optional(), aeskey: z.string().optional() }).loose();
const content = z.object({ content: z.string().optional() }).loose();
const item = z.object({ msgtype: z.string(), text: content.optional(), image: media.optional() }).loose();

/**
 * An AI-bot callback body (long connection `body`, or the decrypted webhook JSON), as far as
 * we read it. Unknown fields pass through (`loose`): the platform adds fields over time.
 */
export const aibotMessageSchema = z
  .object({
    msgid: z.string().min(1),
    aibotid: z.string().optional(),
    chatid: z.string().optional(),
    chattype: z.string().optional(),
    from: z.object({ userid: z.string().optional(), corpid: z.string().optional() }).loose().optional(),
    create_time: z.number().optional(),
    response_url: z.string().optional(),
    msgtype: z.string(),
    text: content.optional(),
    voice: content.optional(),
    image: media.optional(),
    file: media.optional(),
    video: media.optional(),
    mixed: z.object({ msg_item: z.array(item).optional() }).loose().optional(),
    quote: z.object({ msgtype: z.string(), text: content.optional(), voice: content.optional(), mixed: z.object({ msg_item: z.array(item).optional() }).loose().optional() }).loose().optional(),
    event: z.object({ eventtype: z.string().optional() }).loose().optional(),
  })
  .loose();

export type AibotMessage = z.infer<typeof aibotMessageSchema>;

/** A callback body we cannot read: logged and dropped, never thrown into the connection. */
export class AibotMessageError extends Error {
  override readonly name = 'AibotMessageError';
}

export function parseAibotMessage(body: unknown): AibotMessage {
  const result = aibotMessageSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AibotMessageError(`not an AI-bot message: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}
