import { BUILTIN_CONNECTOR_PACKAGES } from '@outrun/connector-kit';
import { describe, expect, it } from 'vitest';
import { builtinConnectorPackages, loadConfiguredConnectors } from './index';

describe('builtin connectors', () => {
  it('imports by literal name exactly the packages `builtin` stands for', () => {
    expect([...builtinConnectorPackages].sort()).toEqual([...BUILTIN_CONNECTOR_PACKAGES].sort());
  });

  it('loads every in-repo connector for `builtin`, and names a missing package', async () => {
    const loaded = await loadConfiguredConnectors('builtin');
    expect(loaded.map((c) => c.name).sort()).toEqual(['email', 'github', 'mqtt', 'mysql', 'nats', 'postgres', 'rabbitmq', 'redis', 'slack']);
    await expect(loadConfiguredConnectors('@acme/not-installed')).rejects.toThrow(/cannot load "@acme\/not-installed"/);
  });
});
