import { create } from 'xmlbuilder2';
import type { FleetSummary } from './summary.js';

/** fleet-junit.xml: one testcase per device (its run folder holds the per-check JUnit) and one per cross-unit check. */
export function renderFleetJunit(summary: FleetSummary): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\ufffd' });
  const root = doc.ele('testsuites', { name: `jcstar ${summary.kind} (${summary.outcome})`, timestamp: summary.generatedAt });
  const devices = root.ele('testsuite', {
    name: 'devices',
    tests: summary.devices.length,
    failures: summary.devices.filter((d) => d.outcome === 'fail').length,
    errors: summary.devices.filter((d) => d.outcome === 'error').length,
    skipped: summary.devices.filter((d) => d.outcome === 'interrupted').length,
  });
  for (const d of summary.devices) {
    const seconds = ((Date.parse(d.finishedAt) - Date.parse(d.startedAt)) / 1000).toFixed(3);
    const testcase = devices.ele('testcase', { classname: `${d.device.vendor} ${d.device.model}`, name: d.unit, time: seconds });
    const detail = `run ${d.runId} (${d.status}) in ${d.folder}; requirements: ${Object.entries(d.requirements).map(([v, n]) => `${n} ${v}`).join(', ')}`;
    if (d.outcome === 'fail') testcase.ele('failure', { message: `FAIL: ${d.failing.join(', ')}`, type: 'FAIL' }).txt(detail);
    else if (d.outcome === 'error') testcase.ele('error', { message: d.statusReason ?? 'a check ended in ERROR', type: 'ERROR' }).txt(detail);
    else if (d.outcome === 'interrupted') testcase.ele('skipped', { message: d.statusReason ?? 'interrupted' });
  }
  const cross = root.ele('testsuite', {
    name: 'cross-unit',
    tests: summary.crossUnit.length,
    failures: summary.crossUnit.filter((c) => c.verdict === 'FAIL').length,
    errors: summary.crossUnit.filter((c) => c.verdict === 'ERROR').length,
    skipped: summary.crossUnit.filter((c) => !['PASS', 'FAIL', 'ERROR'].includes(c.verdict)).length,
  });
  for (const c of summary.crossUnit) {
    const testcase = cross.ele('testcase', { classname: c.requirement, name: c.id, time: '0.000' });
    if (c.verdict === 'FAIL') testcase.ele('failure', { message: c.reason, type: 'FAIL' }).txt(c.reason);
    else if (c.verdict === 'ERROR') testcase.ele('error', { message: c.reason, type: 'ERROR' }).txt(c.reason);
    else if (c.verdict !== 'PASS') testcase.ele('skipped', { message: `${c.verdict}: ${c.reason}` });
  }
  return doc.end({ prettyPrint: true });
}
