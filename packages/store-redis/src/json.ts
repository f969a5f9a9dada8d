/** JSON text of a store value; refuses what JSON cannot carry, as the embedded stores do. */
export function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`a store value must be JSON, not ${typeof value}`);
  return json;
}

export function fromJson<T>(json: string | null): T | undefined {
  return json === null ? undefined : (JSON.parse(json) as T);
}
