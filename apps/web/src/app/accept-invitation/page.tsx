import { Suspense } from 'react';
import { AcceptInvitation } from '../../components/accounts/accept-invitation';
import { Loading } from '../../components/states';

export default function AcceptInvitationPage() {
  return (
    <Suspense fallback={<Loading />}>
      <AcceptInvitation />
    </Suspense>
  );
}
