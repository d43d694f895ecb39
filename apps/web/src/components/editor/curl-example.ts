/**
 * Ready-to-paste `curl` commands that call a webhook trigger with its auth mode, signing with `openssl`
 * exactly as the listener verifies (Standard Webhooks, GitHub, Stripe).
 */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlExample(options: { url: string; auth: string; secret?: string; headerName?: string; username?: string; method?: string }): string {
  const { url, auth } = options;
  const secret = options.secret ?? '<your signing secret>';
  const body = '{"hello":"world"}';
  const method = options.method ?? 'POST';
  const head = [`BODY=${q(body)}`];
  const call = (extra: string[]) => [`curl -sS -X ${method} ${q(url)}`, `  -H 'content-type: application/json'`, ...extra.map((h) => `  ${h}`), `  --data "$BODY"`].join(' \\\n');
  switch (auth) {
    case 'hmac':
      return [
        `SECRET=${q(secret)}`,
        ...head,
        `ID="msg_$(date +%s%N)"; TS="$(date +%s)"`,
        `KEY_HEX="$(printf '%s' "\${SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \\n')"`,
        `SIG="$(printf '%s' "$ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY_HEX" -binary | base64)"`,
        call([`-H "webhook-id: $ID"`, `-H "webhook-timestamp: $TS"`, `-H "webhook-signature: v1,$SIG"`]),
      ].join('\n');
    case 'github':
      return [
        `SECRET=${q(secret)}`,
        ...head,
        `SIG="$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')"`,
        call([`-H 'x-github-event: ping'`, `-H "x-hub-signature-256: sha256=$SIG"`]),
      ].join('\n');
    case 'stripe':
      return [
        `SECRET=${q(secret)}`,
        ...head,
        `TS="$(date +%s)"`,
        `SIG="$(printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')"`,
        call([`-H "stripe-signature: t=$TS,v1=$SIG"`]),
      ].join('\n');
    case 'slack':
      return [
        `SECRET=${q(secret)}`,
        ...head,
        `TS="$(date +%s)"`,
        `SIG="$(printf '%s' "v0:$TS:$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')"`,
        call([`-H "x-slack-request-timestamp: $TS"`, `-H "x-slack-signature: v0=$SIG"`]),
      ].join('\n');
    case 'header':
      return [...head, call([`-H ${q(`${options.headerName ?? 'x-api-key'}: ${options.secret ?? '<token>'}`)}`])].join('\n');
    case 'basic':
      return [...head, call([`-u ${q(`${options.username ?? 'user'}:${options.secret ?? '<password>'}`)}`])].join('\n');
    default:
      return [...head, call([])].join('\n');
  }
}
