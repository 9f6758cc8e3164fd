/** What makes a bundle (or a run folder about to be bundled) invalid, one problem per file or fault. */
export interface BundleProblem {
  code: 'archive' | 'envelope' | 'signature' | 'statement' | 'subject' | 'manifest' | 'changed' | 'added' | 'removed';
  file?: string;
  message: string;
}

/** Bundles are read whole into memory, so their size is capped: a run folder with its artifacts is far smaller. */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;
