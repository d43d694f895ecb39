'use client';
/** The app frame: a left navigation and the page. Shows a banner when no API key is configured. */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useApiContext } from '../lib/api-context';

const NAV = [
  { href: '/workflows', label: 'Workflows' },
  { href: '/runs', label: 'Runs' },
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/members', label: 'Members' },
  { href: '/audit', label: 'Audit log' },
  { href: '/settings', label: 'Settings' },
] as const;

export function Shell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const { config, api, loadError } = useApiContext();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <Link href="/workflows" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▶
          </span>
          Outrun
        </Link>
        <ul>
          {NAV.map((item) => (
            <li key={item.href}>
              <Link href={item.href} className={pathname.startsWith(item.href) ? 'nav-link active' : 'nav-link'} aria-current={pathname.startsWith(item.href) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot muted">{api ? `workspace ${api.options.workspaceId}` : 'not connected'}</div>
      </nav>
      <main id="main" className="main">
        {loadError ? <div className="banner banner-error">Cannot load the app configuration ({loadError}).</div> : null}
        {config && !api && !pathname.startsWith('/settings') ? (
          <div className="banner">
            {(config.apiKey ?? null) === null && !config.serverAuth ? 'No API key configured' : 'The workspace of the API key is unknown'} (server env <code>OUTRUN_API_KEY</code>, <code>OUTRUN_WORKSPACE_ID</code>).{' '}
            <Link href="/settings">Open Settings</Link> to connect.
          </div>
        ) : null}
        {children}
      </main>
    </div>
  );
}
