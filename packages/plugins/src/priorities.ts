/**
 * Higher runs first, in every hook. The order matters where plugins share a hook:
 * - receive: whitelist drops foreign groups before voice pays for a transcription, and voice
 *   turns speech into text before prefix applies its rules to that text;
 * - handle: admin commands first, then banwords sees the stripped text, keyword last;
 * - decorate: banwords masks the reply before voice speaks it, and prefix decorates only
 *   what is still text;
 * - events: last of all (below user plugins), so any plugin may answer an event first.
 */
export const PRIORITY = {
  admin: 1000,
  groupWhitelist: 900,
  banwords: 850,
  voice: 800,
  prefix: 600,
  imageCreate: 500,
  keyword: 400,
  /** User plugins without a priority. */
  user: 0,
  events: -1000,
} as const;
