/** `npm run seed:demo`: seeds the demo network into the database, only when it holds no organization. */
import { DemoSeeder } from '../seed/demo-seeder';
import { withAppContext } from './app-context';
import { runCli } from './run-cli';

runCli(() =>
  withAppContext(async (app) => {
    const seeder = app.get(DemoSeeder);
    if (!(await seeder.seedIfEmpty())) {
      process.stdout.write('The database already holds organizations: nothing seeded.\n');
      return 0;
    }
    process.stdout.write(
      `Seeded the demo network. Accounts (password "harbour-demo"):\n${seeder
        .demoAccountLines()
        .map((l) => `  ${l}\n`)
        .join('')}`,
    );
    return 0;
  }),
);
