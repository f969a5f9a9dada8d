/** A request the callback server refuses: the status to answer and the reason, logged at `level`. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** warn by default; info for what is no attack and no misconfiguration (a client hanging up). */
    readonly level: 'warn' | 'info' = 'warn',
  ) {
    super(message);
  }
}
