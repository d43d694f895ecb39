'use client';
/** The app frame: a left navigation and the page. Shows a banner until the person is signed in. */
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
  const { config, api, loadError, current } = useApiContext();
  const publicPage = ['/login', '/accept-invitation', '/reset-password'].some((p) => pathname.startsWith(p));
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
        <div className="sidebar-foot muted">{current ? `${current.workspace.name} · ${current.role}` : 'not signed in'}</div>
      </nav>
      <main id="main" className="main">
        {loadError ? <div className="banner banner-error">Cannot load the app configuration ({loadError}).</div> : null}
        {config && !api && !publicPage && !loadError ? <div className="banner">Signing in…</div> : null}
        {children}
      </main>
    </div>
  );
}
