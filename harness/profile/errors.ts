/** One thing wrong with a profile, located in its source file. */
export interface ProfileProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Field path such as `services[1].port`; empty when the problem is not about one field. */
  path: string;
  message: string;
}

/** `FILE:LINE:COL: PATH: MESSAGE`, the format editors and CI annotators recognise. */
export function formatProblem(p: ProfileProblem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Every problem found in a profile, sorted by position, one per line in `message`. */
export class ProfileError extends Error {
  readonly problems: ProfileProblem[];

  constructor(problems: ProfileProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'ProfileError';
    this.problems = sorted;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `['services', 1, 'port']` → `services[1].port`; odd keys are quoted: `credentials["my cam"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
