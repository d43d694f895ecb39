/** Environment of accounts: sessions, sign-up, SMTP, single sign-on (docs/accounts.md). Part of `ApiEnv`. */
import { Role } from '@outrun/schemas';
import { z } from 'zod';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const AccountsEnvShape = {
  /** Anyone may sign up (not only the first person and invitees). @default false */
  OUTRUN_SIGN_UP_OPEN: flag.default(false),
  /** Sessions end after this many idle minutes. @default 720 (12 h) */
  OUTRUN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(720),
  /** …and at the latest this many hours after sign-in. @default 168 (7 days) */
  OUTRUN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(168),
  /** Public URL of the web app, for links in emails and the OIDC redirect; https turns on Secure cookies. @default WEB_ORIGIN */
  OUTRUN_APP_URL: z.string().url().optional(),
  /** SMTP server for invitation and reset emails, e.g. `smtp://user:pass@mail.example.com:587`. Unset: invitation links are shown to the inviting admin. */
  SMTP_URL: z.string().url().optional(),
  /** Sender address of those emails. */
  MAIL_FROM: z.string().default('Outrun <outrun@localhost>'),
  /** Single sign-on: the OpenID Connect issuer URL; with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** Workspace people join on their first SSO sign-in; unset: only existing members may sign in by SSO. */
  OIDC_WORKSPACE_ID: z.string().optional(),
  /** Role of first-time SSO members whose groups map to none. @default viewer */
  OIDC_DEFAULT_ROLE: Role.default('viewer'),
  /** ID-token claim with the person's groups. @default groups */
  OIDC_GROUPS_CLAIM: z.string().default('groups'),
  /** Group → role, e.g. `platform-admins=admin,developers=editor`. */
  OIDC_GROUP_ROLES: z.string().default(''),
};
