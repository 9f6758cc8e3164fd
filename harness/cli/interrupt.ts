/**
 * First Ctrl-C aborts the run gracefully (the run folder is finalised and marked interrupted);
 * a second one exits at once.
 */
export function abortOnSigint(stderr: NodeJS.WriteStream): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      stderr.write('\njcstar: second interrupt, exiting now; the evidence log is valid up to its last line\n');
      process.exit(130);
    }
    stderr.write('\njcstar: interrupted; finishing the run folder (Ctrl-C again to exit at once)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}
