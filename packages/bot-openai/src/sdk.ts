type Sdk = typeof import('openai');

let loaded: Sdk | undefined;
let loading: Promise<Sdk> | undefined;

/**
 * The `openai` SDK, imported on first use (images, voice, the live check): its import takes
 * about 100 ms that start-up no longer pays, and chat, the call made for every message, goes
 * without it (http/api.ts).
 */
export function loadSdk(): Promise<Sdk> {
  return (loading ??= import('openai').then((sdk) => (loaded = sdk)));
}

/** The SDK if it was imported: an error can be one of its classes only then. */
export function loadedSdk(): Sdk | undefined {
  return loaded;
}
