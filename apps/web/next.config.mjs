/**
 * Next.js config of the Outrun web app. The runtime configuration (API URL and key) is served by
 * /config.json from server env, so one build works with any `next start` environment. The @outrun/* workspace packages are TypeScript source
 * with extensionless imports, so Next transpiles them.
 */
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ['@outrun/client', '@outrun/schemas'],
  // The app's own sources only: the e2e test (which imports the services) is typechecked by `tsc -p tsconfig.json`.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  // Static files too (the proxy, src/proxy.ts, adds the nonce CSP and the same headers to pages and route handlers).
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
        ],
      },
    ];
  },
};

export default nextConfig;
