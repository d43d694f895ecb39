/**
 * The header the web app's own API client sends on every gateway call. A cross-site page cannot send it without a
 * CORS preflight that nobody answers, so the `/gateway` proxy lends the local key only to requests carrying it.
 */
export const WEB_CLIENT_HEADER = 'x-outrun-client';
