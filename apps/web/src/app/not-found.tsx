import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="page">
      <div className="state state-empty">
        <strong>Page not found</strong>
        <Link href="/workflows">Back to workflows</Link>
      </div>
    </div>
  );
}
