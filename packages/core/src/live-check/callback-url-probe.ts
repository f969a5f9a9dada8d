import { randomBytes } from 'node:crypto';
import type { CheckItem } from '../contracts.js';
import { readLimited } from '../read-limited.js';
import { describeFetchFailure } from './fetch-failure.js';

/** An echostr encrypted and signed as the platform signs it (WXBizMsgCrypt `encryptReply`). */
export interface SignedEchostr {
  echostr: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export interface CallbackUrlProbe {
  /** The public URL the platform calls. */
  url: string;
  /** The config key it came from, and the one of the path the channel serves, for the messages. */
  urlKey: string;
  pathKey: string;
  /** The path the channel serves. */
  path: string;
  /** Encrypts and signs a plaintext with the configured token and AES key. */
  sign(plaintext: string): SignedEchostr;
  signal: AbortSignal;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Does what WeCom does when the callback URL is saved: a GET with a signed, encrypted echostr,
 * whose answer must be exactly the decrypted text. The plaintext and the ciphertext both hold
 * a "+", so a proxy that decodes or rewrites one is caught; the failure names what was seen.
 */
export async function probeCallbackUrl(probe: CallbackUrlProbe): Promise<CheckItem> {
  const plaintext = `live-check+${randomBytes(6).toString('hex')}`;
  let signed = probe.sign(plaintext);
  // base64 has a "+" in most ciphertexts; take one that does, as WeCom's often do.
  for (let i = 0; i < 20 && !signed.echostr.includes('+'); i++) signed = probe.sign(plaintext);
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch {
    return fail(probe, `${probe.urlKey} "${probe.url}" is not a URL (e.g. https://bot.example.com${probe.path})`);
  }
  const query = { msg_signature: signed.msgSignature, timestamp: signed.timestamp, nonce: signed.nonce, echostr: signed.echostr };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  let response: Response;
  let body: string;
  try {
    // WeCom follows no redirect: neither does the probe.
    response = await fetch(url, { redirect: 'manual', signal: probe.signal });
    body = (await readLimited(response, MAX_ANSWER_BYTES, 'the answer')).toString('utf8');
  } catch (error) {
    if (error instanceof RangeError) return fail(probe, `the answer is larger than ${MAX_ANSWER_BYTES} bytes: the URL reaches something other than the channel`);
    return fail(probe, describeFetchFailure(error, probe.url, probe.signal));
  }
  if (response.status === 200 && body === plaintext) {
    return { level: 'ok', message: `${probe.urlKey} ${probe.url} answers the URL verification exactly as WeCom requires` };
  }
  return fail(probe, explain(probe, response, body, plaintext));
}

function fail(probe: CallbackUrlProbe, why: string): CheckItem {
  return { level: 'error', message: `${probe.urlKey}: ${why}` };
}

/** What went wrong, from the answer: the cases proxies and frameworks are known to produce. */
function explain(probe: CallbackUrlProbe, response: Response, body: string, plaintext: string): string {
  const status = response.status;
  const spaced = plaintext.replaceAll('+', ' ');
  if (status >= 300 && status < 400) {
    return `answered HTTP ${status}, a redirect to ${response.headers.get('location') ?? '(no location)'}: WeCom does not follow redirects; set the URL it calls to the final address`;
  }
  if (status === 404) return `answered 404: wrong path; the channel serves ${probe.path} (${probe.pathKey}): check the path in the URL and the proxy's location/rewrite rules`;
  if (status !== 200) return `answered HTTP ${status}${snippet(body)}: the channel at that URL refused the signed echostr (is it running with this config's token and AES key?), or something else answers there`;
  if (body === spaced) return `the answer had a space where a '+' was: something on the way (a proxy, a URL-decoding rule) turned '+' into a space; pass the request and answer through unchanged`;
  if (body.trim() === plaintext || body.replace(/^\uFEFF/, '') === plaintext) {
    return 'the answer had extra characters around the echostr (whitespace, a newline or a BOM): a proxy or filter adds them; WeCom compares the answer exactly';
  }
  if (body.includes(plaintext) || body.includes(spaced)) {
    const wrapping = /^\s*</.test(body) ? 'HTML-wrapped' : isJson(body) ? 'JSON-wrapped' : 'wrapped in other text';
    return `the answer was ${wrapping}${snippet(body)}: WeCom needs the bare echostr as the whole body; a proxy or middleware rewrites the answer`;
  }
  if (/html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(body)) {
    return `answered an HTML page, not the echostr: the URL reaches something other than the channel (a default site, a login page, a proxy's error page)`;
  }
  return `answered${snippet(body)}, not the echostr: the URL does not reach this channel, or it runs with another token or AES key`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The start of an answer, on one line, for a message. */
function snippet(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (line === '') return ' with an empty body';
  return ` ${JSON.stringify(line.length > 100 ? `${line.slice(0, 100)}…` : line)}`;
}
