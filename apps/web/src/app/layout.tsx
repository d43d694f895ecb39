import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '@xyflow/react/dist/style.css';
import './globals.css';
import { ApiProvider } from '../lib/api-context';
import { Shell } from '../components/shell';

export const metadata: Metadata = {
  title: 'Outrun',
  description: 'Event-driven workflow automation: editor, triggers, runs and costs.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
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
