import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';

/** What a horizontal rule becomes: a line that reads as a separator in any chat client. */
export const RULE = '—'.repeat(8);

/**
 * Markdown as clean plain text, for clients that show text messages as written (WeCom's
 * text message, the WeChat plugin). Markers go, content stays: headings and paragraphs
 * become lines separated by a blank line, lists get "•" or "1." with nesting indented under
 * the item's text, links read "text (url)", images "[图片] url", code keeps its lines
 * without fences, tables become "a | b" rows, quotes keep "> ", HTML stays as written.
 */
export function markdownToText(markdown: string): string {
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(markdown);
  } catch {
    // The parser gives up only on pathological input; the reply still goes out as written.
    return markdown.trimEnd();
  }
  return blocks(tokens, '\n\n').replace(/^\n+/, '').trimEnd();
}

/** Block tokens, each rendered without a trailing newline, joined by `separator`. */
function blocks(tokens: Token[], separator: string): string {
  return tokens
    .map(block)
    .filter((text) => text !== '')
    .join(separator);
}

function block(token: Token): string {
  // No extensions are registered, so the lexer produces only marked's own token types.
  const t = token as MarkedToken;
  switch (t.type) {
    case 'heading':
    case 'paragraph':
      return inline(t.tokens).trimEnd();
    case 'text':
      return (t.tokens ? inline(t.tokens) : t.text).trimEnd();
    case 'code':
      return t.text.trimEnd();
    case 'list':
      return list(t);
    case 'blockquote':
      return prefixLines(blocks(t.tokens, '\n\n'), '> ', '>');
    case 'table':
      return table(t);
    case 'hr':
      return RULE;
    case 'html':
      return t.text.trimEnd();
    case 'space':
    case 'def':
    case 'checkbox':
      // Space is the separator; a link definition shows through the links that use it; a
      // checkbox is drawn by its list item.
      return '';
    default:
      return inline([t]).trimEnd();
  }
}

function list(t: Tokens.List): string {
  const first = typeof t.start === 'number' ? t.start : 1;
  const items = t.items.map((item, i) => {
    const bullet = t.ordered ? `${first + i}. ` : '• ';
    const box = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
    // A tight item's text and its nested list sit on consecutive lines.
    const body = blocks(item.tokens, item.loose ? '\n\n' : '\n');
    return prefixLines(box + body, bullet, '', ' '.repeat(bullet.length));
  });
  return items.join(t.loose ? '\n\n' : '\n');
}

function table(t: Tokens.Table): string {
  const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens).trim()).join(' | ');
  return [row(t.header), ...t.rows.map(row)].join('\n');
}

/** Puts `first` before the first line and `rest` before the others; blank lines get `blank`. */
function prefixLines(text: string, first: string, blank: string, rest: string = first): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first + line : line === '' ? blank : rest + line))
    .join('\n');
}

function inline(tokens: Token[]): string {
  return tokens.map((token, i) => (isArithmetic(token, tokens[i - 1], tokens[i + 1]) ? token.raw : span(token))).join('');
}

/**
 * `*` emphasis inside an ASCII word, as in "2*3*4" or "a*b + c*d", is nearly always
 * arithmetic in a model's answer, not emphasis: its stars are kept. (CJK emphasis such as
 * "这是**重点**内容" is not affected.)
 */
function isArithmetic(token: Token, before: Token | undefined, after: Token | undefined): boolean {
  if (token.type !== 'em' || !token.raw.startsWith('*')) return false;
  const last = before?.type === 'text' ? before.raw.slice(-1) : '';
  const next = after?.type === 'text' ? after.raw.slice(0, 1) : '';
  return /[A-Za-z0-9]/.test(last) && /[A-Za-z0-9]/.test(next);
}

function span(token: Token): string {
  const t = token as MarkedToken;
  switch (t.type) {
    case 'text':
      return t.tokens ? inline(t.tokens) : t.text;
    case 'escape':
    case 'codespan':
    case 'html':
      return t.text;
    case 'strong':
    case 'em':
    case 'del':
      return inline(t.tokens);
    case 'br':
      return '\n';
    case 'link':
      return link(inline(t.tokens).trim(), t.href);
    case 'image':
      return t.text.trim() === '' ? `[图片] ${t.href}` : `[图片: ${t.text.trim()}] ${t.href}`;
    case 'checkbox':
      return '';
    default:
      // A block token met inline, or a type added by a later marked: never drop its text.
      return 'tokens' in t && Array.isArray(t.tokens) ? inline(t.tokens) : t.raw;
  }
}

/** "text (url)", or the url alone when the text says nothing more (autolinks, mail addresses). */
function link(text: string, href: string): string {
  if (text === '' || text === href) return href;
  if (href === `mailto:${text}`) return text;
  return `${text} (${href})`;
}
