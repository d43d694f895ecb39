/** Account options from the parsed environment (compose.ts). */
import { Role } from '@outrun/schemas';
import { OperationalError, ErrorCode } from '@outrun/schemas';
import type { ApiEnv } from '../../env';
import { createSmtpMailer } from './mailer';
import type { OidcConfig } from './oidc-config';
import type { AccountOptions } from './options';

/** `a=admin,b=editor` → {a: 'admin', b: 'editor'}. */
export function parseGroupRoles(text: string): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.lastIndexOf('=');
    const role = Role.safeParse(pair.slice(eq + 1).trim());
    if (eq <= 0 || !role.success) throw new OperationalError(ErrorCode.CONFIG, `OIDC_GROUP_ROLES: "${pair}" is not group=role (roles: ${Role.options.join(', ')})`);
    out[pair.slice(0, eq).trim()] = role.data;
  }
  return out;
}

export function accountOptionsFromEnv(env: ApiEnv): AccountOptions {
  const appBaseUrl = env.OUTRUN_APP_URL ?? env.WEB_ORIGIN;
  let oidc: OidcConfig | undefined;
  if (env.OIDC_ISSUER) {
    if (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) throw new OperationalError(ErrorCode.CONFIG, 'OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
    oidc = {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      workspaceId: env.OIDC_WORKSPACE_ID ?? null,
      defaultRole: env.OIDC_DEFAULT_ROLE,
      groupsClaim: env.OIDC_GROUPS_CLAIM,
      groupRoles: parseGroupRoles(env.OIDC_GROUP_ROLES),
    };
  }
  return {
    signUpOpen: env.OUTRUN_SIGN_UP_OPEN,
    sessionIdleMs: env.OUTRUN_SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: env.OUTRUN_SESSION_MAX_HOURS * 3_600_000,
    appBaseUrl,
    ...(env.SMTP_URL ? { mailer: createSmtpMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM }) } : {}),
    ...(oidc ? { oidc } : {}),
  };
}
