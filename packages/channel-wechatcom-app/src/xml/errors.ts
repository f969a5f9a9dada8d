/** A callback body we refuse: malformed, or carrying constructs WeCom never sends. Answered with 400. */
export class XmlInputError extends Error {
  override readonly name = 'XmlInputError';
  readonly httpStatus = 400;
}
