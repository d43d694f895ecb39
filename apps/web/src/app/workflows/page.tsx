import { Suspense } from 'react';
import { WorkflowList } from '../../components/workflows/workflow-list';
import { Loading } from '../../components/states';

export default function WorkflowsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <WorkflowList />
    </Suspense>
  );
}
