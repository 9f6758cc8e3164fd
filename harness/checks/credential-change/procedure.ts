import type { CredentialChange } from '../../profile/schema.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { changeOverHttp } from './http-procedure.js';
import { changeOverSsh } from './ssh-procedure.js';
import type { ProcedureResult } from './steps.js';
import type { TemplateValues } from './template.js';

/** Runs the profile's change procedure once, from `values.oldPassword` to `values.newPassword`. */
export function runProcedure(ctx: CheckContext, service: Service, change: CredentialChange, values: TemplateValues, step: 'change' | 'restore'): Promise<ProcedureResult> {
  return 'http' in change ? changeOverHttp(ctx, service, change.http, values, step) : changeOverSsh(ctx, service, change.ssh, values, step);
}
