import { Role } from '@harbour/authz/permissions';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

describe('scratch', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    const f = new Fixtures(t);
    const org = await f.organization();
    token = (await f.signedIn(org, [Role.ORG_ADMIN])).token;
  });
  afterAll(() => t.close());
  it('explores', async () => {
    const show = async (label: string, q: string, v: Record<string, unknown> = {}, op?: string) => {
      const call = t.http().post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`);
      const r = await call.send({ query: q, variables: v, operationName: op });
      process.stderr.write(`${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 600)}\n`);
    };
    await show('missing var', 'query ($n: Int!) { organizations(first: $n) { totalCount } }');
    await show('bad var', 'query ($n: Int!) { organizations(first: $n) { totalCount } }', { n: 'abc' });
    await show('two ops', 'query A { me { id } } query B { me { id } }');
    await show('unknown op', 'query A { me { id } }', {}, 'Z');
    await show('enum', '{ organizations(filter: { kind: CITY_DEPARTMEN }) { totalCount } }');
    await show('arg', '{ organizations(firts: 2) { totalCount } }');
    await show('inputfield', '{ organizations(filter: { knd: CITY_DEPARTMENT }) { totalCount } }');
    await show('var enum', 'query ($f: OrganizationsFilterInput) { organizations(filter: $f) { totalCount } }', { f: { kind: 'CITY_DEPARTMEN' } });
    await show('var field', 'query ($f: OrganizationsFilterInput) { organizations(filter: $f) { totalCount } }', { f: { knd: 'CITY_DEPARTMENT' } });
    await show('type', 'query ($f: OrganizationsFilterInpu) { organizations(filter: $f) { totalCount } }', { });
    await show('mutation', 'mutation { logn(input: {email: "a", password: "b"}) { accessToken } }', { });
    await show('nested field', '{ me { emial } }', { });
    await show('tokens', `{ me { ${'id '.repeat(3001)} } }`);
    process.stderr.write(t.logs.filter((l) => l.includes('"level":50')).join('\n').slice(0, 3000));
  });
});
