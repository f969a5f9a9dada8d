import { ApiConnectionError, ApiStatusError } from './http/api-errors.js';
import { loadedSdk } from './sdk.js';

/** What a failed call to the API was, whichever client made it (the SDK, or the direct chat call). */
export type ApiFailure =
  | { kind: 'aborted' }
  | { kind: 'timeout' }
  | { kind: 'connection'; message: string; cause: unknown }
  | { kind: 'status'; status: number; code: string | null | undefined; message: string; header: (name: string) => string | undefined };

/**
 * The API failure an error stands for, or undefined for anything else. The SDK's classes are
 * checked only once it is loaded: before, none of its errors can exist.
 */
export function apiFailureOf(error: unknown): ApiFailure | undefined {
  if (error instanceof ApiStatusError) return { kind: 'status', status: error.status, code: error.code, message: error.message, header: (name) => error.header(name) };
  if (error instanceof ApiConnectionError) return { kind: 'connection', message: error.message, cause: error.cause };
  const sdk = loadedSdk();
  if (!sdk || !(error instanceof sdk.APIError)) return undefined;
  if (error instanceof sdk.APIUserAbortError) return { kind: 'aborted' };
  if (error instanceof sdk.APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof sdk.APIConnectionError) return { kind: 'connection', message: error.message, cause: error.cause };
  if (error.status === undefined) return undefined;
  return { kind: 'status', status: error.status, code: error.code, message: error.message, header: (name) => error.headers?.get(name) ?? undefined };
}
