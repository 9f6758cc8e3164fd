/** A mistake in how jcstar was called or configured: reported on one line, exit code 2, nothing sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}
