import { sha256 } from '../evidence/store.js';
import type { Results } from '../results/schema.js';
import type { Verdict } from '../verdicts/verdict.js';

/** in-toto Statement v1 with the test-result predicate (github.com/in-toto/attestation, spec/predicates/test-result.md). */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const TEST_RESULT_PREDICATE = 'https://in-toto.io/attestation/test-result/v0.1';
/** The subject: the run folder's manifest, which hashes every other file of it. */
export const SUBJECT_NAME = 'manifest.json';

type TestResult = 'PASSED' | 'WARNED' | 'FAILED';

/** A ResourceDescriptor: needs one of uri, digest or content. */
interface ResourceDescriptor {
  name: string;
  uri?: string;
  digest?: Record<string, string>;
}

export interface TestResultStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof TEST_RESULT_PREDICATE;
  predicate: {
    result: TestResult;
    configuration: ResourceDescriptor[];
    passedTests: string[];
    warnedTests: string[];
    failedTests: string[];
  };
}

/**
 * Where each requirement and check is listed. PASS passed; FAIL and ERROR failed (an ERROR is no pass either,
 * and a lab must look at it); INCONCLUSIVE, MANUAL and NOT_APPLICABLE are warnings: nothing failed, but a
 * person still has something to read (for NOT_APPLICABLE, its justification).
 */
const OUTCOME: Record<Verdict, 'passedTests' | 'warnedTests' | 'failedTests'> = {
  PASS: 'passedTests',
  FAIL: 'failedTests',
  ERROR: 'failedTests',
  INCONCLUSIVE: 'warnedTests',
  MANUAL: 'warnedTests',
  NOT_APPLICABLE: 'warnedTests',
};

/** Requirements are listed beside their checks, told apart by this prefix: `requirement:S1.1-05`. */
const REQUIREMENT_PREFIX = 'requirement:';

/**
 * The label's verdict is the requirements', so PASSED needs a complete run with every requirement PASS or
 * NOT_APPLICABLE: a run of one requirement (--only), an interrupted run or one left INCONCLUSIVE or MANUAL
 * is no pass, even with no failing check.
 */
function overallResult(results: Results, failed: number): TestResult {
  if (failed > 0) return 'FAILED';
  const allMet = results.requirements.length > 0 && results.requirements.every((r) => r.verdict === 'PASS' || r.verdict === 'NOT_APPLICABLE');
  return results.run.status === 'complete' && allMet ? 'PASSED' : 'WARNED';
}

export function buildStatement(manifest: Buffer, profile: Buffer, results: Results): TestResultStatement {
  const tests = { passedTests: [] as string[], warnedTests: [] as string[], failedTests: [] as string[] };
  for (const requirement of results.requirements) tests[OUTCOME[requirement.verdict]].push(`${REQUIREMENT_PREFIX}${requirement.id}`);
  for (const check of results.checks) tests[OUTCOME[check.verdict]].push(check.id);
  const rules: ResourceDescriptor[] = Object.entries(results.rules)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, version]) => ({ name: `jcstar ${name} rules`, uri: `urn:jcstar:${name}:${encodeURIComponent(version)}` }));
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: SUBJECT_NAME, digest: { sha256: sha256(manifest) } }],
    predicateType: TEST_RESULT_PREDICATE,
    predicate: {
      result: overallResult(results, tests.failedTests.length),
      configuration: [
        { name: 'profile.yaml', digest: { sha256: sha256(profile) } },
        ...rules,
        { name: 'jcstar', uri: `urn:jcstar:tool:${encodeURIComponent(results.tool.version)}` },
        { name: 'run status', uri: `urn:jcstar:run-status:${results.run.status}` },
      ],
      ...tests,
    },
  };
}
