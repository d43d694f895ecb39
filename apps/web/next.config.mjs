/**
 * Next.js config of the Outrun web app. The @outrun/* workspace packages are TypeScript source
 * with extensionless imports, so Next transpiles them.
 */
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ['@outrun/client', '@outrun/schemas'],
  // The runtime configuration (API URL and key) is served by /config.json, so one build works anywhere.
  output: undefined,
};

export default nextConfig;
