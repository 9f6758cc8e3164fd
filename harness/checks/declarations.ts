import type { Declarations } from '../profile/schema.js';
import type { CheckContext } from '../suite/context.js';

/** Records a vendor declaration as evidence for a declared-basis check; returns it, or null if absent. */
export function recordDeclaration<K extends keyof Declarations>(ctx: CheckContext, key: K): NonNullable<Declarations[K]> | null {
  const value = ctx.profile.declarations[key];
  ctx.evidence.record({
    kind: 'note',
    summary: value ? `vendor declaration ${key}` : `no ${key} declaration in the profile`,
    data: value ? { declaration: key, value } : { declaration: key, value: null },
  });
  return (value ?? null) as NonNullable<Declarations[K]> | null;
}
