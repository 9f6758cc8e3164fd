import type { RequirementEntry } from '../catalogue/schema.js';
import type { EvidenceRecord } from '../evidence/records.js';
import type { Declarations } from '../profile/schema.js';
import type { Rollup } from '../verdicts/rollup.js';
import type { Recognition } from './schema.js';

/** The catalogue tag of the requirements IPA deems met by UK PSTI compliance. */
export const PSTI_EQUIVALENT = 'psti-equivalent';
export const DEEMED_MET = 'deemed met: UK PSTI statement of compliance (IPA mutual recognition), not observed';

/**
 * IPA's mutual recognition: a UK PSTI statement of compliance meets the psti-equivalent requirements. What
 * jcstar found still counts against it: a FAIL (a universal default accepted, a support period already
 * over) contradicts the claim and stays FAIL, and a harness ERROR stays visible. The statement is the whole
 * claim: one that could not be attached to the evidence leaves the requirement INCONCLUSIVE. Anything else is PASS.
 */
export function recognise(
  requirement: RequirementEntry,
  rolled: Rollup,
  declarations: Declarations,
  evidence: EvidenceRecord[],
  selected: boolean,
): { rollup: Rollup; recognition: Recognition | null } {
  const psti = declarations.pstiCompliance;
  if (!psti || !requirement.tags.includes(PSTI_EQUIVALENT)) return { rollup: rolled, recognition: null };
  const attachments = evidence.filter((e) => e.data?.['declaration'] === 'pstiCompliance' && e.artifacts.length > 0);
  const attached = (attachments.find((e) => e.requirement === requirement.id) ?? attachments[0])?.artifacts[0];
  const statement = attached ? { path: attached.path, sha256: attached.sha256, declared: psti.statementOfCompliance } : null;
  const recognition: Recognition = { scheme: 'UK PSTI', statement, issuedOn: psti.issuedOn ?? null, note: DEEMED_MET };
  if (!selected) return { rollup: rolled, recognition };
  if (rolled.verdict === 'FAIL') {
    return { rollup: { verdict: 'FAIL', reason: `a finding contradicts the declared UK PSTI statement of compliance, so it is not deemed met: ${rolled.reason}` }, recognition };
  }
  if (rolled.verdict === 'ERROR') return { rollup: { verdict: 'ERROR', reason: `UK PSTI compliance is declared, but a harness error must be resolved first: ${rolled.reason}` }, recognition };
  if (!statement) {
    return { rollup: { verdict: 'INCONCLUSIVE', reason: `UK PSTI compliance is declared, but its statement of compliance is not in the evidence, so it is not deemed met; on its own: ${rolled.verdict}, ${rolled.reason}` }, recognition };
  }
  return { rollup: { verdict: 'PASS', reason: `${DEEMED_MET} (${statement.path}, sha256 ${statement.sha256}); on its own: ${rolled.verdict}, ${rolled.reason}` }, recognition };
}
