/**
 * A secret value (password, key). It prints as a redaction marker everywhere, so that it cannot leak
 * through logging or JSON by accident; `reveal()` is the only way to the value, for the wire only.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string, readonly label: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return `[REDACTED:${this.label}]`;
  }
  toJSON(): string {
    return this.toString();
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
