/** Bodies and answers of the account routes. */
import { Email } from '@outrun/schemas';
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../logic/accounts/passwords';

export const Password = z.string().min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX);
export const SignUpBody = z.strictObject({ email: Email, password: Password, name: z.string().trim().min(1).max(200).optional() });
export const SignInBody = z.strictObject({ email: Email, password: z.string().max(PASSWORD_MAX) });
export const AcceptInvitationBody = z.strictObject({ token: z.string().min(10).max(200), email: Email, password: Password, name: z.string().trim().min(1).max(200).optional() });
export const ResetRequestBody = z.strictObject({ email: Email });
export const ResetConfirmBody = z.strictObject({ token: z.string().min(10).max(200), password: Password });
/** Defined once in @outrun/schemas (api-responses.ts). */
export { AccountView, AuthStatus } from '@outrun/schemas';
