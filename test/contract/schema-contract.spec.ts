/**
 * The published contract, read from the committed files that partners and DBAs see:
 * schema/schema.graphql is fully described, every mutation answers in the one shape of mutation
 * results, and neither the schema nor any migration or entity carries a word that asks for, stores
 * or lets anyone infer immigration status or identity documents.
 */
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SDL = readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8');

/** Status, citizenship and identity-document words (docs/design.md, invariant 1). */
const STATUS_WORDS = [
  /immigra/i,
  /citizen/i,
  /nationalit/i,
  /country[\s_-]*of[\s_-]*birth/i,
  /birth[\s_-]*country/i,
  /\bvisas?\b/i,
  /passport/i,
  /\bpermits?\b/i,
  /refugee/i,
  /asylum/i,
  /\b(sin|ssn)\b/i,
  /social[\s_-]*(insurance|security)/i,
  /undocumented/i,
  /\billegal\b/i,
  /\balien\b/i,
  /deport/i,
  /legal[\s_-]*status/i,
  /residency[\s_-]*status/i,
  /status[\s_-]*in[\s_-]*canada/i,
  /work[\s_-]*authori[sz]ation/i,
  /green[\s_-]*card/i,
];

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** camelCase and snake_case split into words, so that `visaType` and `refugee_claim` are caught. */
function words(line: string): string {
  return line.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
}

function hits(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) =>
      STATUS_WORDS.filter((word) => word.test(words(line))).map((word) => `line ${i + 1}: ${word} in "${line.trim()}"`),
    );
}

describe('Status-blind contract', () => {
  it('the denylist catches what it is meant to catch', () => {
    for (const probe of [
      'immigrationStatus',
      'citizenship',
      'country_of_birth',
      'visaType',
      'passportNumber',
      'work permit',
      'refugee_claim',
      'SIN',
      'nationality',
    ]) {
      expect(hits(probe)).not.toHaveLength(0);
    }
    expect(hits('permission permitted visitor provisional sinks')).toHaveLength(0);
  });

  it('schema/schema.graphql has no status or identity-document word', () => {
    expect(hits(SDL)).toEqual([]);
  });

  it.each(filesUnder(join(ROOT, 'migrations'), /\.(ts|json)$/).map((f) => [relative(ROOT, f), f]))(
    '%s has no status or identity-document word',
    (_name, file) => {
      expect(hits(readFileSync(file, 'utf8'))).toEqual([]);
    },
  );

  it.each(
    [
      ...filesUnder(join(ROOT, 'src'), /\.(entity|input|args|model)\.ts$/),
      ...filesUnder(join(ROOT, 'src'), /\.enums?\.ts$/),
    ].map((f) => [relative(ROOT, f), f]),
  )('%s has no status or identity-document word', (_name, file) => {
    expect(hits(readFileSync(file, 'utf8'))).toEqual([]);
  });
});

describe('Schema descriptions', () => {
  const schema: GraphQLSchema = buildSchema(SDL);

  function undescribed(): string[] {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()))
          if (!field.description) missing.push(`${type.name}.${field.name}`);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    return missing;
  }

  it('describes every type, field, argument, input field and enum value for partner developers', () => {
    expect(undescribed()).toEqual([]);
  });
});

/**
 * The credential mutations: they answer with a new access token (`LoginPayload`), not with an object
 * that changed. The schema says so in LoginPayload's description and docs/architecture.md in
 * "Mutation results"; this is the whole list.
 */
const CREDENTIAL_MUTATIONS = ['acceptInvitation', 'changePassword', 'login'];

describe('Mutation results', () => {
  const schema: GraphQLSchema = buildSchema(SDL);
  const mutations = Object.values(schema.getMutationType()!.getFields());

  /** What is wrong with a mutation's answer type, by the convention of docs/architecture.md. */
  function problems(type: GraphQLOutputType): string[] {
    if (!isNonNullType(type) || !isObjectType(type.ofType)) return ['is not a non-null object type'];
    const payload = type.ofType;
    const found: string[] = [];
    if (!payload.name.endsWith('Payload')) found.push(`${payload.name} is not named <Something>Payload`);
    const fields = payload.getFields();
    const warnings = fields.warnings?.type;
    if (
      !warnings ||
      !isNonNullType(warnings) ||
      !isListType(warnings.ofType) ||
      String(warnings.ofType.ofType) !== 'PrivacyWarning!'
    )
      found.push(`${payload.name}.warnings is not [PrivacyWarning!]!`);
    const holdsObject = Object.values(fields).some(
      (field) => field.name !== 'warnings' && isNonNullType(field.type) && isObjectType(field.type.ofType),
    );
    if (!holdsObject) found.push(`${payload.name} holds no non-null object besides its warnings`);
    return found;
  }

  it('finds what it is meant to find', () => {
    expect(problems(schema.getQueryType()!.getFields().organization.type)).toEqual([
      'Organization is not named <Something>Payload',
      'Organization.warnings is not [PrivacyWarning!]!',
    ]);
    expect(problems(schema.getMutationType()!.getFields().login.type)).toContain(
      'LoginPayload.warnings is not [PrivacyWarning!]!',
    );
    expect(problems(schema.getType('PrivacyWarning') as GraphQLOutputType)).toEqual(['is not a non-null object type']);
  });

  it('every mutation but the credential ones answers with a <Something>Payload holding the object and its warnings', () => {
    const found = mutations
      .filter((mutation) => !CREDENTIAL_MUTATIONS.includes(mutation.name))
      .flatMap((mutation) => problems(mutation.type).map((problem) => `${mutation.name}: ${problem}`));
    expect(found).toEqual([]);
  });

  it('the credential mutations answer with a LoginPayload, whose description names each of them', () => {
    for (const name of CREDENTIAL_MUTATIONS)
      expect(String(schema.getMutationType()!.getFields()[name]?.type)).toBe('LoginPayload!');
    const description = schema.getType('LoginPayload')!.description!;
    for (const name of CREDENTIAL_MUTATIONS) expect(description).toContain(`\`${name}\``);
  });
});
