/** Outgoing email (invitations, password resets) through SMTP with nodemailer. */
import type { Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** `smtpUrl` like `smtp://user:pass@mail.example.com:587` (STARTTLS when offered) or `smtps://…:465`. */
export function createSmtpMailer(options: { smtpUrl: string; from: string }): Mailer {
  // nodemailer (≈ 11 MB RSS) is loaded by the first mail, not at start (docs/performance.md, idle memory).
  let transport: Promise<Transporter> | undefined;
  return {
    async send(message) {
      transport ??= import('nodemailer').then((m) => m.default.createTransport(options.smtpUrl));
      await (await transport).sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
