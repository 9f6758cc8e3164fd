import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../../verdicts/outcome.js';

/** UPnP and undeclared protocols: jcstar cannot yet tell what they carry, so a person must. */
export async function checkUnprobedPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const why = service.protocol === 'upnp'
    ? `jcstar has no probe for UPnP yet; SSDP and its HTTP descriptions are plaintext by design, so check by hand that ${service.name} (${service.port}/${service.transport}) carries no credentials or assets`
    : `jcstar cannot tell whether ${service.name} (protocol other, ${service.port}/${service.transport}) encrypts its traffic; check by hand that it carries no credentials or assets in plaintext`;
  ctx.evidence.record({ kind: 'note', summary: why, target: ctx.target });
  return inconclusive(why);
}
