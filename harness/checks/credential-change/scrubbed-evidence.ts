import { Redactor } from '../../evidence/redactor.js';
import { Secret } from '../../secrets/secret.js';
import type { CheckContext } from '../../suite/context.js';

/**
 * The context with an evidence recorder that also scrubs the `generated` secrets. The run's own redactor
 * knows only the profile's secrets, and not in JSON-escaped form: a password jcstar makes up during the
 * check, or a profile password with a quote or backslash that a device echoes back in JSON, would pass it.
 */
export function withScrubbedEvidence(ctx: CheckContext, generated: Secret[], usernames: string[]): CheckContext {
  const escaped = [...generated, ...ctx.profile.secrets].flatMap((secret) => {
    const form = JSON.stringify(secret.reveal()).slice(1, -1);
    return form === secret.reveal() ? [] : [new Secret(form, secret.label)];
  });
  const redactor = new Redactor([...generated, ...escaped], usernames);
  const text = (value: string | null | undefined) => (value === null || value === undefined ? value : redactor.text(value));
  return {
    ...ctx,
    evidence: {
      record: (input) =>
        ctx.evidence.record({
          ...input,
          summary: redactor.text(input.summary),
          sent: text(input.sent),
          received: text(input.received),
          data: input.data ? redactor.value(input.data) : input.data,
          artifacts: input.artifacts?.map((a) => ({ ...a, bytes: redactor.bytes(typeof a.bytes === 'string' ? Buffer.from(a.bytes) : a.bytes) })),
        }),
      get count() {
        return ctx.evidence.count;
      },
    },
  };
}
