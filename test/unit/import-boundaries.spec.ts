import { join } from 'node:path';
import { RuleTester, type Rule } from 'eslint';

// eslint/boundaries.cjs is the ESLint rule `harbour/boundaries` (eslint.config.mjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { boundaryProblem, rules } = require('../../eslint/boundaries.cjs') as {
  boundaryProblem: (file: string, specifier: string) => string | null;
  rules: { boundaries: Rule.RuleModule };
};

describe('import boundaries', () => {
  it.each([
    ['src/modules/referrals/referrals.service.ts', '@harbour/audit'],
    ['src/modules/referrals/referrals.service.ts', '../consent'],
    ['src/modules/referrals/referrals.service.ts', '../consent/consent.entity'],
    ['src/modules/referrals/referrals.service.ts', './referral-rules'],
    ['src/modules/referrals/dto/send-referral.input.ts', '../../../common/text'],
    ['src/access/access-gate.ts', '../modules/clients/client.entity'],
    ['src/seed/demo-seeder.ts', '../modules/referrals'],
    ['libs/audit/src/verify.ts', './canonical'],
    ['libs/audit/src/denial-audit.filter.ts', '@harbour/graphql-kit'],
    ['src/main.ts', '@nestjs/core'],
  ])('lets %s import %s', (file, specifier) => {
    expect(boundaryProblem(file, specifier)).toBeNull();
  });

  it.each([
    ['src/modules/referrals/referrals.service.ts', '@harbour/audit/verify', /public face/],
    ['libs/audit/src/verify.ts', '@harbour/audit', /own index/],
    ['libs/audit/src/verify.ts', '../../../src/common/ids', /library imports only/],
    ['libs/audit/src/verify.ts', '../../authz/src/actor', /library imports only/],
    ['src/common/ids.ts', '../../libs/authz/src', /as '@harbour\/authz'/],
    ['src/modules/referrals/referrals.service.ts', '../consent/consent-rules', /through its index/],
    [
      'src/modules/referrals/dto/send-referral.input.ts',
      '../../clients/dto/register-client.input',
      /through its index/,
    ],
    ['src/access/access-gate.ts', '../modules/referrals/referral-view', /through its index/],
    ['src/modules/referrals/referrals.service.ts', '.', /own index/],
    ['src/modules/referrals/dto/send-referral.input.ts', '../index', /own index/],
  ])('refuses %s importing %s', (file, specifier, message) => {
    expect(boundaryProblem(file, specifier)).toMatch(message);
  });
});

// RuleTester declares its own describe/it blocks: it proves the rule is wired and reports the import node.
const root = join(__dirname, '..', '..');
new RuleTester({ languageOptions: { sourceType: 'module' } }).run('harbour/boundaries', rules.boundaries, {
  valid: [
    {
      code: "import { X } from '../consent';",
      filename: join(root, 'src/modules/referrals/a.ts'),
      options: [{ root }],
    },
  ],
  invalid: [
    {
      code: "export { X } from '../consent/consent-rules';",
      filename: join(root, 'src/modules/referrals/a.ts'),
      options: [{ root }],
      errors: [{ message: /through its index/ }],
    },
  ],
});
