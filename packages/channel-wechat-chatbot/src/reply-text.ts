import type { Reply } from '@wecom-bot/core';

/**
 * The dialogue platform takes text only in all three modes: a Reply becomes the text a user
 * should see. Links stay usable; media the platform cannot carry is named, not dropped silently.
 */
export function replyToText(reply: Reply): string {
  switch (reply.type) {
    case 'TEXT':
    case 'MARKDOWN':
    case 'INFO':
    case 'ERROR':
    case 'IMAGE_URL':
      return reply.content;
    case 'NEWS':
      return reply.content.map((a) => [a.title, a.description, a.url].filter(Boolean).join('\n')).join('\n\n');
    case 'IMAGE':
    case 'VOICE':
    case 'VIDEO':
    case 'FILE':
      return `[${reply.type.toLowerCase()} ${reply.content.filename}: this channel can only send text]`;
  }
}
