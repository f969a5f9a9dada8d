import type { Reply } from '@wecom-bot/core';

/**
 * A reply as the Markdown an AI-bot bubble shows, or undefined for media we cannot put in
 * one (uploads are not supported yet: those are described in text by `describeMedia`).
 */
export function replyMarkdown(reply: Reply): string | undefined {
  switch (reply.type) {
    case 'TEXT':
    case 'MARKDOWN':
    case 'INFO':
    case 'ERROR':
      return reply.content;
    case 'IMAGE_URL':
      return `![图片](${reply.content})`;
    case 'NEWS':
      return reply.content.map((a) => `**[${a.title}](${a.url})**${a.description ? `\n${a.description}` : ''}`).join('\n\n');
    default:
      return undefined;
  }
}

/** What a member sees instead of a media reply the AI bot cannot send yet. */
export function describeMedia(reply: Reply): string {
  const what = { IMAGE: '图片', VOICE: '语音', VIDEO: '视频', FILE: '文件' }[reply.type as 'IMAGE' | 'VOICE' | 'VIDEO' | 'FILE'] ?? '消息';
  return `（这里有一条${what}回复，智能机器人暂不支持发送${what}。）`;
}
