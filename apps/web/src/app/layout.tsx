import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import '@xyflow/react/dist/style.css';
import './globals.css';
import { ApiProvider } from '../lib/api-context';
import { Shell } from '../components/shell';

export const metadata: Metadata = {
  title: 'Outrun',
  description: 'Event-driven workflow automation: editor, triggers, runs and costs.',
};

/** Rendered per request: Next.js puts the proxy's per-request CSP nonce on its scripts only at render time. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <ApiProvider>
          <Shell>{children}</Shell>
        </ApiProvider>
      </body>
    </html>
  );
}
