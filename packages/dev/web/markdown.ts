import { Marked, type Tokens } from 'marked';

/** <font color="…"> is the one tag WeCom's markdown allows (found here once escaped); its three colours have class names. */
const FONT_OPEN = /&#60;font\s+color\s*=\s*(?:&#34;|&#39;)?(info|comment|warning)(?:&#34;|&#39;)?\s*&#62;/gi;
const FONT_CLOSE = /&#60;\/font\s*&#62;/gi;
const SAFE_URL = /^(https?:|mailto:)/i;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Markdown as the WeCom client shows it: headings, bold, links, quotes, code, lists, and
 * <font color="info|comment|warning">. Any other HTML is shown as text, and links go only to
 * http(s) or mailto: the bot's words are untrusted input to this page.
 */
const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escape(text)
        .replace(FONT_OPEN, (_tag, colour: string) => `<span class="md-${colour.toLowerCase()}">`)
        .replace(FONT_CLOSE, '</span>');
    },
    link({ href, tokens }: Tokens.Link): string {
      const label = this.parser.parseInline(tokens);
      return SAFE_URL.test(href) ? `<a href="${escape(href)}" target="_blank" rel="noreferrer noopener">${label}</a>` : label;
    },
    image({ href, text }: Tokens.Image): string {
      return SAFE_URL.test(href) ? `<img src="${escape(href)}" alt="${escape(text)}">` : escape(text);
    },
  },
});

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}
