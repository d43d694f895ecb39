import { describe, expect, it } from 'vitest';
import { DataChangeConfig } from './trigger';

describe('DataChangeConfig.filter', () => {
  it('takes operator-looking values as literals and rejects $-prefixed or empty key segments, naming the key', () => {
    expect(DataChangeConfig.parse({ collection: 'c', filter: { n: { $gt: 2 }, 'a.b': 1 } }).filter).toEqual({ n: { $gt: 2 }, 'a.b': 1 });
    for (const key of ['$where', 'a.$gt', 'a..b']) {
      const result = DataChangeConfig.safeParse({ collection: 'c', filter: { [key]: 1 } });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['filter', key]);
    }
  });
});
