/**
 * Email over SMTP (nodemailer). The Message-ID is derived from the step idempotency key, so a retried step's
 * duplicate is recognisable by the receiving side.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, defineConnector, defineCredential } from '@outrun/connector-kit';

const SmtpCredentialData = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false).describe('TLS from the start (port 465); otherwise STARTTLS when offered'),
  username: z.string().max(300).optional(),
  password: z.string().max(1000).optional(),
  from: z.string().min(3).max(300).describe('Default sender, e.g. "Outrun <bot@example.com>"'),
  /** Refuse to send without TLS (STARTTLS required). */
  requireTls: z.boolean().default(false),
});
type SmtpCredentialData = z.infer<typeof SmtpCredentialData>;

async function transport(credential: SmtpCredentialData) {
  const nodemailer = await import('nodemailer');
  return nodemailer.createTransport({
    host: credential.host,
    port: credential.port,
    secure: credential.secure,
    requireTLS: credential.requireTls,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(credential.username ? { auth: { user: credential.username, pass: credential.password ?? '' } } : {}),
  });
}

const smtpCredential = defineCredential({
  label: 'SMTP server',
  schema: SmtpCredentialData,
  secretFields: ['password'],
  hosts: (credential) => [{ host: credential.host, port: credential.port }],
  async test(credential) {
    const t = await transport(credential);
    try {
      await t.verify();
    } finally {
      t.close();
    }
  },
});

const Addresses = z.union([z.string().min(3).max(320), z.array(z.string().min(3).max(320)).min(1).max(100)]);

const send = defineAction({
  label: 'Send email',
  description: 'Sends an email (text and/or HTML) through the SMTP server of the credential.',
  credential: smtpCredential,
  params: z.object({
    to: Addresses,
    cc: Addresses.optional(),
    bcc: Addresses.optional(),
    subject: z.string().max(998),
    text: z.string().max(1_000_000).optional(),
    html: z.string().max(1_000_000).optional(),
    replyTo: z.string().max(320).optional(),
    from: z.string().max(300).optional().describe("Overrides the credential's sender"),
  }).refine((p) => p.text !== undefined || p.html !== undefined, { message: 'text or html is required', path: ['text'] }),
  async run({ params, credential, idempotencyKey, signal }) {
    const t = await transport(credential);
    const onAbort = () => t.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const messageId = `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@outrun>`;
      const info = await t.sendMail({
        from: params.from ?? credential.from,
        to: params.to,
        ...(params.cc ? { cc: params.cc } : {}),
        ...(params.bcc ? { bcc: params.bcc } : {}),
        subject: params.subject,
        ...(params.text !== undefined ? { text: params.text } : {}),
        ...(params.html !== undefined ? { html: params.html } : {}),
        ...(params.replyTo ? { replyTo: params.replyTo } : {}),
        messageId,
      });
      return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response };
    } finally {
      signal.removeEventListener('abort', onAbort);
      t.close();
    }
  },
});

export default defineConnector({
  name: 'email',
  version: '1.0.0',
  label: 'Email (SMTP)',
  description: 'Send email through any SMTP server.',
  category: 'communication',
  icon: 'mail',
  credentials: { smtp: smtpCredential },
  actions: { send },
});
