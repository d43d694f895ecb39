import { Suspense } from 'react';
import { Login } from '../../components/accounts/login';
import { Loading } from '../../components/states';

export default function LoginPage() {
  return (
    <Suspense fallback={<Loading />}>
      <Login />
    </Suspense>
  );
}
