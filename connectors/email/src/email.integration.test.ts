/** Against a real SMTP server (`smtp-server` from npm, on port 0) that authenticates and keeps what it receives. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { runAction } from '@outrun/connector-kit/testing';
import connector from './index';

const received: Array<{ from: string; to: string[]; mail: ParsedMail }> = [];
let port = 0;
const server = new SMTPServer({
  authOptional: false,
  disabledCommands: ['STARTTLS'],
  onAuth(auth, _session, callback) {
    if (auth.username === 'bot' && auth.password === 'smtp-secret-pw') callback(null, { user: 'bot' });
    else callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    simpleParser(stream).then((mail) => {
      received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), mail });
      callback();
    }, callback);
  },
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
  port = (server.server.address() as AddressInfo).port;
  resolve();
})));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const credential = () => ({ host: '127.0.0.1', port, secure: false, username: 'bot', password: 'smtp-secret-pw', from: 'Outrun <bot@example.test>' });

describe('email (smtp)', () => {
  it('delivers a message the server can read back: envelope, headers, text and html', async () => {
    const { output } = await runAction(connector, 'send', { credential: credential(), runId: 'run-9', params: { to: ['a@example.test', 'b@example.test'], cc: 'c@example.test', subject: 'Order 42 shipped', text: 'Hello\nIt shipped.', html: '<p>It <b>shipped</b>.</p>' } });
    expect(output).toMatchObject({ accepted: ['a@example.test', 'b@example.test', 'c@example.test'], rejected: [] });
    const got = received.at(-1)!;
    expect(got.from).toBe('bot@example.test');
    expect(got.to.sort()).toEqual(['a@example.test', 'b@example.test', 'c@example.test']);
    expect(got.mail.subject).toBe('Order 42 shipped');
    expect(got.mail.text?.trim()).toBe('Hello\nIt shipped.');
    expect(got.mail.html).toContain('<b>shipped</b>');
    expect(got.mail.messageId).toBe((output as { messageId: string }).messageId);
  });

  it('the same step retried sends the same Message-ID', async () => {
    const a = await runAction(connector, 'send', { credential: credential(), runId: 'run-r', params: { to: 'x@example.test', subject: 's', text: 't' } });
    const b = await runAction(connector, 'send', { credential: credential(), runId: 'run-r', params: { to: 'x@example.test', subject: 's', text: 't' } });
    expect((a.output as { messageId: string }).messageId).toBe((b.output as { messageId: string }).messageId);
  });

  it('a wrong password fails without retry and without echoing the password', async () => {
    const err = await runAction(connector, 'send', { credential: { ...credential(), password: 'wrong-password-123' }, params: { to: 'x@example.test', subject: 's', text: 't' } }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'OUT_ERR_CONNECTOR_FAILED' });
    expect(String((err as Error).message)).not.toContain('wrong-password-123');
  });
});
