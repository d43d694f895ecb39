import { Suspense } from 'react';
import { ResetPassword } from '../../components/accounts/reset-password';
import { Loading } from '../../components/states';

export default function ResetPasswordPage() {
  return (
    <Suspense fallback={<Loading />}>
      <ResetPassword />
    </Suspense>
  );
}
