import { BlockList, isIP } from 'node:net';

/** Raised when anything tries to reach an address outside the profile's scope. */
export class ScopeViolation extends Error {
  constructor(readonly address: string, readonly scope: readonly string[]) {
    super(`refused to contact ${address}: outside the profile's scope (${scope.join(', ')})`);
    this.name = 'ScopeViolation';
  }
}

export interface ScopeEntry {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses "10.0.0.5", "10.0.0.0/24" or "fe80::/64"; returns null when it is neither an IP nor a CIDR. */
export function parseScopeEntry(text: string): ScopeEntry | null {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || address === undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

const RECENT_VERDICTS = 64;

/** The one gate every probe's socket passes through. It only admits IP literals inside the scope. */
export class ScopeGuard {
  readonly #allowed = new BlockList();
  /** Verdicts on the addresses asked about most recently: a port scan asks about one address 65535 times. */
  readonly #recent = new Map<string, boolean>();

  constructor(readonly scope: readonly string[]) {
    for (const text of scope) {
      const entry = parseScopeEntry(text);
      if (!entry) throw new Error(`invalid scope entry "${text}"`);
      this.#allowed.addSubnet(entry.address, entry.prefix, entry.family);
    }
  }

  allows(address: string): boolean {
    const known = this.#recent.get(address);
    if (known !== undefined) return known;
    const version = isIP(address);
    const allowed = version !== 0 && this.#allowed.check(address, version === 4 ? 'ipv4' : 'ipv6');
    if (this.#recent.size >= RECENT_VERDICTS) this.#recent.clear();
    this.#recent.set(address, allowed);
    return allowed;
  }

  /** Throws ScopeViolation unless `address` is an IP literal inside the scope. */
  assert(address: string): void {
    if (!this.allows(address)) throw new ScopeViolation(address, this.scope);
  }
}
