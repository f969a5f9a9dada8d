/** Spaces WeCom puts after a mention: an ordinary one, or U+2005 (four-per-em), as the client inserts. */
const GAP = '[\\s\\u2005]';

/**
 * Removes the bot's @-mention from a group message. With the bot's name known, every "@Name"
 * goes, even with no space after it ("@大黄你好" → "你好"). Without it only a leading "@word"
 * followed by a space goes: guessing where a name ends in "@大黄你好" would eat the question.
 */
export function stripMention(text: string, botName: string): string {
  if (botName !== '') {
    const name = botName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return text.replace(new RegExp(`@${name}${GAP}*`, 'g'), '').trim();
  }
  return text.replace(new RegExp(`^${GAP}*@\\S+${GAP}+`), '').trim();
}
