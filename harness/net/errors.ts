/** Why a network exchange did not complete, in terms a verdict reason can use. */
export type NetFailure = 'refused' | 'timeout' | 'reset' | 'unreachable' | 'closed' | 'protocol' | 'aborted' | 'other';

export class NetError extends Error {
  constructor(readonly failure: NetFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetError';
  }
}

export function classifyNetError(err: unknown): NetError {
  if (err instanceof NetError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const failure: NetFailure =
    code === 'ECONNREFUSED' ? 'refused'
    : code === 'ETIMEDOUT' ? 'timeout'
    : code === 'ECONNRESET' || code === 'EPIPE' ? 'reset'
    : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'unreachable'
    : e?.name === 'AbortError' ? 'aborted'
    : 'other';
  return new NetError(failure, `${code || e?.name || 'error'}: ${e?.message ?? String(err)}`, { cause: err });
}
