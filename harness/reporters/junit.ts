import { create } from 'xmlbuilder2';
import type { CheckResult, RequirementResult, Results } from '../results/schema.js';
import type { Verdict } from '../verdicts/verdict.js';

/** JUnit XML for CI dashboards: one testsuite per requirement, one testcase per check. */

type XMLBuilder = ReturnType<typeof create>;

interface Case {
  name: string;
  verdict: Verdict;
  reason: string;
  durationMs: number;
  detail: string;
  warnings: string[];
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function checkCase(c: CheckResult): Case {
  const evidence = c.evidence.map((e) => `${e.at} ${e.kind}: ${e.summary}`);
  return {
    name: `${c.id}: ${c.title}`,
    verdict: c.verdict,
    reason: c.reason,
    durationMs: c.durationMs ?? 0,
    detail: [`basis: ${c.basis}`, `reason: ${c.reason}`, ...evidence].join('\n'),
    warnings: c.warnings,
  };
}

// CI tools drop a suite with no testcases, which would hide the requirement's verdict.
function requirementCase(q: RequirementResult): Case {
  return { name: `${q.id}: requirement verdict`, verdict: q.verdict, reason: q.reason, durationMs: 0, detail: q.reason, warnings: [] };
}

function counts(cases: Case[]) {
  const n = (...verdicts: Verdict[]) => cases.filter((c) => verdicts.includes(c.verdict)).length;
  return {
    tests: cases.length,
    failures: n('FAIL'),
    errors: n('ERROR'),
    skipped: n('INCONCLUSIVE', 'MANUAL', 'NOT_APPLICABLE'),
    time: seconds(cases.reduce((sum, c) => sum + c.durationMs, 0)),
  };
}

function addCase(suite: XMLBuilder, classname: string, c: Case): void {
  const testcase = suite.ele('testcase', { classname, name: c.name, time: seconds(c.durationMs) });
  if (c.verdict === 'FAIL') testcase.ele('failure', { message: c.reason, type: c.verdict }).txt(c.detail);
  else if (c.verdict === 'ERROR') testcase.ele('error', { message: c.reason, type: c.verdict }).txt(c.detail);
  else if (c.verdict !== 'PASS') testcase.ele('skipped', { message: `${c.verdict}: ${c.reason}` });
  // Jenkins, GitLab and Azure DevOps show a testcase's system-out beside a passed test; properties they hide.
  if (c.warnings.length > 0) testcase.ele('system-out').txt(c.warnings.map((w) => `warning: ${w}`).join('\n'));
}

export function renderJunit(results: Results): string {
  const checks = new Map(results.checks.map((c) => [c.id, c]));
  const suites = results.requirements.map((q) => {
    const own = q.checks.flatMap((id) => checks.get(id) ?? []);
    return { q, cases: own.length ? own.map(checkCase) : [requirementCase(q)] };
  });
  const properties: Record<string, string> = {
    'device.vendor': results.device.vendor,
    'device.model': results.device.model,
    'device.firmware': results.device.firmware,
    'device.unit': results.device.unit,
    'device.category': results.device.category,
    'target.host': results.target.host,
    'rules.catalogue': results.rules.catalogue,
    'rules.policy': results.rules.policy,
    ...(results.rules.crypto ? { 'rules.crypto': results.rules.crypto } : {}),
    'run.id': results.run.id,
    'run.status': results.run.status,
  };

  // Replace characters XML 1.0 cannot carry (device bytes end up in reasons) instead of failing the report.
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\ufffd' });
  const root = doc.ele('testsuites', {
    name: `${results.tool.name} ${results.tool.version} ${results.run.id} (${results.run.status})`,
    timestamp: results.startedAt,
    ...counts(suites.flatMap((s) => s.cases)),
  });
  suites.forEach(({ q, cases }, i) => {
    const suite = root.ele('testsuite', {
      id: i,
      name: `${q.id} ${q.title}`,
      timestamp: results.startedAt,
      hostname: results.target.host,
      ...counts(cases),
    });
    const props = suite.ele('properties');
    for (const [name, value] of Object.entries({ ...properties, 'requirement.verdict': q.verdict, 'requirement.reason': q.reason })) {
      props.ele('property', { name, value });
    }
    for (const c of cases) addCase(suite, q.id, c);
  });
  return doc.end({ prettyPrint: true });
}
