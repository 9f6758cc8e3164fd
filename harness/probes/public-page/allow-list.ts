/**
 * The exact addresses a profile's publicPages allow. jcstar compares normalised URLs (WHATWG: lower-case
 * scheme and host, default port dropped), nothing looser: no prefix, no host-wide permission.
 */
export class PublicPageAllowList {
  readonly #urls: Set<string>;

  constructor(urls: readonly string[]) {
    this.#urls = new Set(urls.flatMap((u) => {
      const parsed = parseWebAddress(u);
      return parsed ? [parsed.href] : [];
    }));
  }

  /** The normalised address when it is on the list, else null. */
  admit(url: string): URL | null {
    const parsed = parseWebAddress(url);
    return parsed && this.#urls.has(parsed.href) ? parsed : null;
  }

  get size(): number {
    return this.#urls.size;
  }
}

/** An http(s) address without a user name or password: Node's http.get would send them as Basic credentials. */
function parseWebAddress(url: string): URL | null {
  try {
    const parsed = new URL(url);
    const web = parsed.protocol === 'http:' || parsed.protocol === 'https:';
    return web && parsed.username === '' && parsed.password === '' ? parsed : null;
  } catch {
    return null;
  }
}
