import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDeploymentSql } from '../../src/database/provision';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const scripts = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('README', () => {
  it('shows the deployment SQL exactly as the code provisions the roles', () => {
    expect(README).toContain(renderDeploymentSql().trim());
  });

  it('names only npm scripts that exist', () => {
    const named = [...README.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });
});
