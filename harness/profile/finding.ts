/** Something wrong at a field path, before it is located in the source. */
export interface Finding {
  path: readonly PropertyKey[];
  message: string;
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean;
}
