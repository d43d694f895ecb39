/**
 * @outrun/store/contract — one behavioural suite every store adapter must pass (vitest).
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../ports';
import { aiSettingsCases, unpricedRollUpCases } from './contract-ai-settings';
import { accountCases } from './contract-accounts';
import { credentialCases } from './contract-credentials';
import { dataCases } from './contract-data';
import { housekeepingCases } from './contract-housekeeping';
import { runStatsCases } from './contract-run-stats';
import { runCases } from './contract-runs';
import { signalCases } from './contract-signals';
import { tenancyCases } from './contract-tenancy';
import { triggerIdCases } from './contract-trigger-ids';
import { testRunCases } from './contract-test-runs';
import { triggerCases } from './contract-triggers';
import { workflowCases } from './contract-workflows';
import { workspaceCases } from './contract-workspaces';
import type { ContractContext, StoreFactory, StoreFixture } from './harness';

export type { ContractContext, StoreFactory, StoreFixture } from './harness';
export { currentPosition, takeChanges } from './contract-data';

/**
 * Registers the store contract under `describe(name)`. `factory` gives each test a fresh, empty store;
 * `reopen` (restart cases) and `rawBytes` (plain-text canary) are optional.
 */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let fixture: StoreFixture | undefined;
    const context: ContractContext = {
      get fixture() {
        if (!fixture) throw new Error('no store fixture (used outside a test)');
        return fixture;
      },
      get store(): Store {
        return context.fixture.store;
      },
    };
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });
    describe('workspaces and API keys', () => workspaceCases(context));
    describe('workflows', () => workflowCases(context));
    describe('trigger ids', () => triggerIdCases(context));
    describe('runs', () => runCases(context));
    describe('waiting signals and sub-workflow links', () => signalCases(context));
    describe('run statistics and retention', () => runStatsCases(context));
    describe('editor test runs', () => testRunCases(context));
    describe('trigger state', () => triggerCases(context));
    describe('data collections', () => dataCases(context));
    describe('credentials', () => credentialCases(context));
    describe('tenancy', () => tenancyCases(context));
    describe('housekeeping: buckets, pruning, retention', () => housekeepingCases(context));
    describe('AI settings and trace ids', () => aiSettingsCases(context));
    describe('unpriced AI roll-ups', () => unpricedRollUpCases(context));
    describe('accounts: users, members, sessions, tokens, audit', () => accountCases(context));
  });
}
