/** What a mode answers to one HTTP request. */
export interface HttpAnswer {
  status: number;
  /** A string is sent as text/plain, an object as JSON. */
  body: string | Record<string, unknown>;
}

/**
 * A request the channel refuses: the status, the body in the platform's error shape for
 * that mode, and a message for the log that says what to check (never a secret).
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly status: number,
    message: string,
    readonly body: HttpAnswer['body'],
  ) {
    super(message);
  }
}
