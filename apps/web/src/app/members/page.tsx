import { Suspense } from 'react';
import { Members } from '../../components/accounts/members';
import { Loading } from '../../components/states';

export default function MembersPage() {
  return (
    <Suspense fallback={<Loading />}>
      <Members />
    </Suspense>
  );
}
