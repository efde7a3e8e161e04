/** JSON text codec. Node: the global `JSON`; Lua: cjson (its null sentinel is returned as `undefined`/absent). */
export interface Json {
  /** Parses JSON text. Throws (any error) on malformed text; the caller turns it into a coded error. */
  decode(text: string): unknown;
  /** Serialises a value built of objects, arrays, strings, finite numbers and booleans. */
  encode(value: unknown): string;
}
