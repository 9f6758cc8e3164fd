import { labelledLogin } from '../../actions/labelled-login.js';
import type { LoginProbe } from '../../probes/login.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { Restore } from '../credential-change/judge.js';
import { runProcedure } from '../credential-change/procedure.js';
import type { TemplateValues } from '../credential-change/template.js';

/** S1.1-03's restore: temporary → original with the service's credentialChange, then both logins to show it took. */
export async function restoreOriginal(ctx: CheckContext, service: Service, probe: LoginProbe, values: TemplateValues): Promise<Restore> {
  const procedure = await runProcedure(ctx, service, service.credentialChange!, values, 'restore');
  const oldBack = await labelledLogin(ctx, probe, 'original value after the restore', { username: values.username, password: values.newPassword });
  const temporaryGone = await labelledLogin(ctx, probe, 'temporary value after the restore', { username: values.username, password: values.oldPassword });
  return { needed: true, procedure, oldBack, temporaryGone };
}
