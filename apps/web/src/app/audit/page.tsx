import { Suspense } from 'react';
import { AuditLog } from '../../components/accounts/audit-log';
import { Loading } from '../../components/states';

export default function AuditLogPage() {
  return (
    <Suspense fallback={<Loading />}>
      <AuditLog />
    </Suspense>
  );
}
