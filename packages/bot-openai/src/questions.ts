import { ContextType, type Context } from '@wecom-bot/core';

/**
 * What a message asks the model in words, or undefined when it is not a question in words.
 * A link or a location is something to talk about: the channel wrote out its text (title,
 * description and URL; label and coordinates), which is asked as the member's own message.
 */
export function questionOf(context: Context): string | undefined {
  switch (context.type) {
    case ContextType.TEXT:
      return context.content;
    case ContextType.LINK:
      return `我分享了一个链接：\n${context.content}`;
    case ContextType.LOCATION:
      return `我发来了一个位置：${context.content}`;
    default:
      return undefined;
  }
}
