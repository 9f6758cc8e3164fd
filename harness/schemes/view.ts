import { loadCatalogue } from '../catalogue/load.js';
import type { Catalogue } from '../catalogue/schema.js';
import type { Results } from '../results/schema.js';
import { VERDICTS, type Verdict } from '../verdicts/verdict.js';
import { mappedStar1 } from './load.js';
import { schemeVerdict } from './rollup.js';
import type { Scheme, SchemeRequirement } from './schema.js';
import { SCHEME_VIEW_FORMAT_VERSION, type SchemeView, type SchemeViewRequirement } from './view-schema.js';

function viewRequirement(entry: SchemeRequirement, results: Results, catalogue: Catalogue): SchemeViewRequirement {
  const ids = mappedStar1(entry.maps, catalogue);
  const star1 = results.requirements
    .filter((r) => ids.includes(r.id))
    .map((r) => ({ id: r.id, title: r.title, verdict: r.verdict, reason: r.reason }));
  const base = { id: entry.id, title: entry.title, reference: entry.reference, confirmed: entry.confirmed, source: entry.source, etsi: entry.etsi ?? [], star1 };
  if (ids.length === 0) return { ...base, verdict: null, reason: 'no ★1 requirement maps to it: a ★1 run says nothing about it' };
  if (star1.length === 0) return { ...base, verdict: 'INCONCLUSIVE', reason: `${ids.join(', ')} not judged in this run` };
  const verdict = schemeVerdict(star1.map((r) => r.verdict))!;
  return { ...base, verdict, reason: `from ★1 ${star1.map((r) => `${r.id} ${r.verdict}`).join(', ')}` };
}

/** One run's results seen through another scheme's requirements; reads results only, never the device. */
export function schemeView(results: Results, scheme: Scheme, catalogue: Catalogue = loadCatalogue()): SchemeView {
  const requirements = scheme.requirements.map((entry) => viewRequirement(entry, results, catalogue));
  const judged = requirements.map((r) => r.verdict).filter((v): v is Verdict => v !== null);
  return {
    formatVersion: SCHEME_VIEW_FORMAT_VERSION,
    tool: results.tool,
    scheme: { id: scheme.id, name: scheme.name, title: scheme.title, version: scheme.version, basis: scheme.basis },
    run: { id: results.run.id, status: results.run.status, finishedAt: results.finishedAt },
    device: { vendor: results.device.vendor, model: results.device.model, firmware: results.device.firmware, unit: results.device.unit },
    summary: {
      requirements: Object.fromEntries(VERDICTS.map((v) => [v, judged.filter((x) => x === v).length])) as Record<Verdict, number>,
      notCovered: requirements.length - judged.length,
    },
    requirements,
  };
}
