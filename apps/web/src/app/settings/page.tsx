import { Suspense } from 'react';
import { Settings } from '../../components/settings/settings';
import { Loading } from '../../components/states';

export default function SettingsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <Settings />
    </Suspense>
  );
}
