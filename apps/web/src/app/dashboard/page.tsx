import { Suspense } from 'react';
import { Dashboard } from '../../components/dashboard/dashboard';
import { Loading } from '../../components/states';

export default function DashboardPage() {
  return (
    <Suspense fallback={<Loading />}>
      <Dashboard />
    </Suspense>
  );
}
