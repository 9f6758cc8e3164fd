/** Check verdicts. PASS/FAIL come from ETSI TS 103 701; the rest are harness extensions and never roll up to PASS. */
export const VERDICTS = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'INCONCLUSIVE', 'MANUAL', 'ERROR'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Where a verdict's grounds come from: the device's behaviour, or the vendor's declaration. */
export type Basis = 'observed' | 'declared';
