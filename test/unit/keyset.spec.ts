import { BadUserInputError } from '@harbour/graphql-kit';
import { afterNameId, readNameIdKey } from '../../src/common/keyset';
import { containsPattern } from '../../src/common/text';
import { isId } from '../../src/common/ids';

const ID = '33333333-3333-4333-8333-333333333333';

describe(containsPattern.name, () => {
  it('matches the text anywhere', () => {
    expect(containsPattern('clinic')).toBe('%clinic%');
  });

  it('takes the LIKE wildcards and the escape character literally', () => {
    expect(containsPattern('100%_\\')).toBe('%100\\%\\_\\\\%');
  });
});

describe(readNameIdKey.name, () => {
  it('reads a (name, id) cursor key', () => {
    expect(readNameIdKey(['Food bank', ID])).toEqual({ name: 'Food bank', id: ID });
  });

  it.each([[['Food bank', 'not-a-uuid']], [[42, ID]], [['Food bank', null]]])(
    'refuses %p with BAD_USER_INPUT',
    (key) => {
      expect(() => readNameIdKey(key)).toThrow(BadUserInputError);
    },
  );
});

describe(afterNameId.name, () => {
  it('is empty on the first page', () => {
    expect(afterNameId(undefined)).toEqual({});
  });

  it('selects rows with a greater name, or the same name and a greater id', () => {
    expect(afterNameId(['Food bank', ID])).toEqual({
      $or: [{ name: { $gt: 'Food bank' } }, { name: 'Food bank', id: { $gt: ID } }],
    });
  });
});

describe(isId.name, () => {
  it('accepts UUIDs only', () => {
    expect(isId(ID)).toBe(true);
    expect(isId('1')).toBe(false);
    expect(isId("' or 1=1 --")).toBe(false);
  });
});
