import type { AnyConfigSection } from './section.js';

/**
 * Template placeholders people leave in place: chatgpt-on-wechat's "YOUR API KEY",
 * "YOUR_CORP_ID", "<your token>", "xxxx". Such a value is not a credential.
 */
const PLACEHOLDER = /^(your[\s_-]|<[^<>]*>$|x{4,}$|sk-x{4,}|填写|你的)/i;

/** Keys whose values are copied from a console and compared byte for byte. */
export function copiedKeys(section: AnyConfigSection): string[] {
  return [...new Set([...(section.secrets ?? []), ...(section.required ?? []), ...(section.verbatim ?? [])])];
}

/**
 * What is wrong with a copied value, or undefined. Secrets are never echoed; the message says
 * what to do. A trailing space in a corp id passes any length check, then WeCom refuses every
 * callback (-40005): it is worth an error of its own.
 */
export function copiedValueProblem(key: string, value: unknown, secret: boolean): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (PLACEHOLDER.test(value.trim())) {
    const shown = secret ? '' : ` ("${value}")`;
    return `${key} still holds the template's placeholder${shown}: put the real value there`;
  }
  const ends = [/^\s/.test(value) ? 'start' : '', /\s$/.test(value) ? 'end' : ''].filter(Boolean);
  if (ends.length > 0) return `${key} has whitespace at its ${ends.join(' and ')}: remove it (the value must be copied exactly)`;
  return undefined;
}
