import type { KeyObject } from 'node:crypto';
import { MANIFEST_FILE } from '../evidence/manifest.js';
import { sha256 } from '../evidence/store.js';
import { ENVELOPE_FILE, RUN_PREFIX } from './create.js';
import { EnvelopeError, IN_TOTO_PAYLOAD_TYPE, parseEnvelope, verifiedKeyIds } from './dsse.js';
import { keyIdOf } from './keys.js';
import { checkAgainstManifest } from '../evidence/manifest-check.js';
import type { BundleProblem } from './problems.js';
import { STATEMENT_TYPE, SUBJECT_NAME, TEST_RESULT_PREDICATE, type TestResultStatement } from './statement.js';
import { readTar, TarFormatError, type ReadEntry } from './tar.js';

export interface VerifyReport {
  valid: boolean;
  keyId: string;
  problems: BundleProblem[];
  /** The signed statement's verdict, once the signature verified. */
  result: { result: string; passed: number; warned: number; failed: number } | null;
  /** Files of run/ checked against the manifest. */
  files: number;
}

/** The signed statement, or the problem with it. Only a statement whose signature verified is judged. */
function signedStatement(envelopeBytes: Buffer, publicKey: KeyObject, keyId: string): { statement?: TestResultStatement; problems: BundleProblem[] } {
  let parsed;
  try {
    parsed = parseEnvelope(envelopeBytes);
  } catch (err) {
    if (err instanceof EnvelopeError) return { problems: [{ code: 'envelope', file: ENVELOPE_FILE, message: err.message }] };
    throw err;
  }
  const { envelope, body, sigs } = parsed;
  // A second signature would be judged by nobody: jcstar neither writes nor trusts one.
  if (sigs.length !== 1) return { problems: [{ code: 'envelope', file: ENVELOPE_FILE, message: `the envelope carries ${sigs.length} signatures; jcstar signs with one` }] };
  const verified = verifiedKeyIds(envelope.payloadType, body, sigs, publicKey);
  if (verified.length === 0) return { problems: [{ code: 'signature', file: ENVELOPE_FILE, message: 'signature does not verify with this key' }] };
  const problems: BundleProblem[] = [];
  // The keyid is outside the signature; a bundle whose envelope names another key was changed after signing.
  if (!verified.includes(keyId)) problems.push({ code: 'envelope', file: ENVELOPE_FILE, message: `the signature's keyid ${verified[0] || '(none)'} is not this key's id ${keyId}` });
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) problems.push({ code: 'statement', file: ENVELOPE_FILE, message: `payloadType is ${envelope.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}` });
  let statement: TestResultStatement;
  try {
    statement = JSON.parse(body.toString('utf8')) as TestResultStatement;
  } catch {
    return { problems: [...problems, { code: 'statement', file: ENVELOPE_FILE, message: 'the signed payload is not JSON' }] };
  }
  if (statement?._type !== STATEMENT_TYPE || statement.predicateType !== TEST_RESULT_PREDICATE) {
    problems.push({ code: 'statement', file: ENVELOPE_FILE, message: `the signed payload is not an in-toto ${TEST_RESULT_PREDICATE} statement` });
    return { problems };
  }
  return { statement, problems };
}

function subjectProblems(statement: TestResultStatement, manifest: Buffer | undefined): BundleProblem[] {
  const subject = Array.isArray(statement.subject) ? statement.subject.find((s) => s?.name === SUBJECT_NAME) : undefined;
  const signed = subject?.digest?.sha256;
  if (typeof signed !== 'string') return [{ code: 'statement', file: ENVELOPE_FILE, message: `the signed statement has no ${SUBJECT_NAME} subject with a sha256` }];
  if (!manifest) return [];
  const actual = sha256(manifest);
  const file = `${RUN_PREFIX}${MANIFEST_FILE}`;
  return actual === signed ? [] : [{ code: 'subject', file, message: `changed: ${file} (sha256 ${actual}, the signed statement says ${signed})` }];
}

/** Checks an evidence bundle: the archive, the DSSE signature with `publicKey`, the subject digest and every file. */
export function verifyBundle(archive: Buffer, publicKey: KeyObject): VerifyReport {
  const keyId = keyIdOf(publicKey);
  let entries: ReadEntry[];
  try {
    entries = readTar(archive);
  } catch (err) {
    if (err instanceof TarFormatError) return { valid: false, keyId, problems: [{ code: 'archive', message: err.message }], result: null, files: 0 };
    throw err;
  }
  const problems: BundleProblem[] = [];
  const runFiles = new Map<string, Buffer>();
  let envelopeBytes: Buffer | undefined;
  for (const { path, bytes } of entries) {
    if (path === ENVELOPE_FILE) envelopeBytes = bytes;
    else if (path.startsWith(RUN_PREFIX)) runFiles.set(path.slice(RUN_PREFIX.length), bytes);
    else problems.push({ code: 'added', file: path, message: `added: ${path} (not part of an evidence bundle)` });
  }
  let result: VerifyReport['result'] = null;
  if (!envelopeBytes) problems.push({ code: 'removed', file: ENVELOPE_FILE, message: `removed: ${ENVELOPE_FILE} (the bundle holds no signature)` });
  else {
    const signed = signedStatement(envelopeBytes, publicKey, keyId);
    problems.push(...signed.problems);
    if (signed.statement) {
      problems.push(...subjectProblems(signed.statement, runFiles.get(MANIFEST_FILE)));
      const p = signed.statement.predicate;
      const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
      result = { result: String(p?.result), passed: count(p?.passedTests), warned: count(p?.warnedTests), failed: count(p?.failedTests) };
    }
  }
  problems.push(...checkAgainstManifest(runFiles, RUN_PREFIX));
  return { valid: problems.length === 0, keyId, problems, result, files: runFiles.size };
}
