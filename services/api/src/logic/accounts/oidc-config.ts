import type { Role } from '@outrun/schemas';

/** Single sign-on with one OpenID Connect provider (per instance). */
export interface OidcConfig {
  /** Issuer URL (discovery at `/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where new people land (just-in-time membership); null: only existing members may sign in. */
  workspaceId: string | null;
  /** Role of a first-time member when no group maps. @default viewer */
  defaultRole: Role;
  /** ID-token claim holding the groups. @default groups */
  groupsClaim: string;
  /** Group → role; the most powerful match wins. */
  groupRoles: Record<string, Role>;
  /** Allow plain-http issuers (tests, a provider on the same host). @default false */
  allowInsecure?: boolean;
}
