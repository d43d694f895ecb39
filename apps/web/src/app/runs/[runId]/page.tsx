import { Suspense } from 'react';
import { RunDetail } from '../../../components/runs/run-detail';
import { Loading } from '../../../components/states';

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return (
    <Suspense fallback={<Loading />}>
      <RunDetail runId={decodeURIComponent(runId)} />
    </Suspense>
  );
}
