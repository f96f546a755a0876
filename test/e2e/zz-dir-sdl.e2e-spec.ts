import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { writeFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/test-app';
describe('sdl', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  it('prints', () => { writeFileSync('/tmp/harbour-dir-sdl.graphql', printSchema(t.app.get(GraphQLSchemaHost).schema)); });
});
