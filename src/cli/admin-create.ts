/**
 * `npm run admin:create -- --email you@city.example [--name "Your Name"] [--organization "City office"]`
 * Creates a NETWORK_ADMIN in the network operator's organization (creating the operator on a new
 * database). The password comes from HARBOUR_ADMIN_PASSWORD or a hidden prompt — never an argument,
 * which would land in shell history.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { checkPassword } from '../auth/password-policy';
import { NetworkBootstrap } from '../modules/staff';
import { withAppContext } from './app-context';
import { runCli } from './run-cli';

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!process.stdin.isTTY) {
      reject(new Error('No terminal to prompt for the password: set HARBOUR_ADMIN_PASSWORD instead.'));
      return;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let prompted = false;
    output._writeToOutput = (s: string) => {
      // Echo the question once, then nothing of what is typed.
      if (!prompted) process.stdout.write(s);
      prompted = true;
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

runCli(async () => {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, organization: { type: 'string' } },
    strict: true,
  });
  if (!values.email) {
    process.stderr.write(
      'usage: npm run admin:create -- --email you@city.example [--name "Your Name"] [--organization "Operator name"]\n',
    );
    return 2;
  }
  const password =
    process.env.HARBOUR_ADMIN_PASSWORD ?? (await promptHidden('Password for the new network administrator: '));
  const problems = checkPassword(password, {
    email: values.email,
    displayName: values.name,
    organizationName: values.organization,
  });
  if (problems.length > 0) {
    process.stderr.write(`The password ${problems.map((problem) => problem.message).join('; ')}.\n`);
    return 2;
  }
  return withAppContext(async (app) => {
    const result = await app.get(NetworkBootstrap).createNetworkAdmin({
      email: values.email as string,
      displayName: values.name ?? 'Network administrator',
      password,
      operatorName: values.organization ?? 'Network operator',
    });
    process.stdout.write(
      `${result.operatorCreated ? `Created the network operator "${result.operatorName}".\n` : ''}Created NETWORK_ADMIN ${result.email} in "${result.operatorName}". Sign in with \`login\`.\n`,
    );
    return 0;
  });
});
