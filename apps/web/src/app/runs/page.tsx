import { Suspense } from 'react';
import { RunList } from '../../components/runs/run-list';
import { Loading } from '../../components/states';

export default function RunsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <RunList />
    </Suspense>
  );
}
