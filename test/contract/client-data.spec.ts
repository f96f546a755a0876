/**
 * Client data in the published schema (docs/design.md, Consent model and The client record):
 * every field that carries a client's data is registered, with its consent category, in
 * CLIENT_DATA_FIELDS; clients are reached only by the routes the register names; and the
 * client-facing types do not grow a field without review.
 */
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLIENT_DATA_FIELDS,
  CLIENT_DATA_OPERATIONS,
  CLIENT_DATA_ROUTES,
  HOLDER_CLIENT_RECORD_TYPES,
  type ClientFieldSharing,
  sharedUnder,
} from '../../src/modules/consent/client-data.registry';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';

const schema: GraphQLSchema = buildSchema(
  readFileSync(join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'),
);

function fieldsOf(typeName: string): string[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type of the schema`);
  return Object.keys(type.getFields()).sort();
}

/**
 * The reviewed shape of the client-facing types. A new field fails here until someone has decided
 * what it exposes, registered it in CLIENT_DATA_FIELDS when it carries client data, and updated
 * this list. Registered types list each field with its sharing rule, straight from the table in
 * docs/design.md.
 */
const REVIEWED: Record<string, Record<string, ClientFieldSharing> | string[]> = {
  Client: {
    birthYear: ConsentDataCategory.DEMOGRAPHICS,
    consents: 'HOLDER_ONLY',
    contact: ConsentDataCategory.CONTACT,
    createdAt: 'HOLDER_ONLY',
    erased: 'HOLDER_ONLY',
    erasedAt: 'HOLDER_ONLY',
    id: 'HOLDER_ONLY',
    languages: 'ALWAYS',
    legalName: ConsentDataCategory.DEMOGRAPHICS,
    municipalIdNumber: ConsentDataCategory.MUNICIPAL_ID,
    needs: ConsentDataCategory.NEEDS,
    preferredName: 'ALWAYS',
    pronouns: ConsentDataCategory.DEMOGRAPHICS,
    updatedAt: 'HOLDER_ONLY',
  },
  ClientContact: {
    email: ConsentDataCategory.CONTACT,
    phone: ConsentDataCategory.CONTACT,
    preference: ConsentDataCategory.CONTACT,
    safeToLeaveMessage: ConsentDataCategory.CONTACT,
  },
  ClientPayload: ['client', 'warnings'],
  // A referral's client: the always-shared row, then one consent category per field; its id is the
  // holder's own identifier. Whether the client was erased is the shell's record, for both sides.
  ReferredClient: {
    birthYear: ConsentDataCategory.DEMOGRAPHICS,
    contact: ConsentDataCategory.CONTACT,
    erased: 'RECORD',
    id: 'HOLDER_ONLY',
    languages: 'ALWAYS',
    legalName: ConsentDataCategory.DEMOGRAPHICS,
    municipalIdNumber: ConsentDataCategory.MUNICIPAL_ID,
    needs: ConsentDataCategory.NEEDS,
    preferredName: 'ALWAYS',
    pronouns: ConsentDataCategory.DEMOGRAPHICS,
  },
  // The referral's own record (status and history remain for both sides), except the client (shown
  // under any active consent), the reason text (NEEDS) and the sending side's notes (NOTES).
  Referral: {
    basedOn: 'RECORD',
    client: 'ALWAYS',
    consentActive: 'RECORD',
    history: 'RECORD',
    id: 'RECORD',
    lastTransition: 'RECORD',
    noteCount: 'RECORD',
    notes: ConsentDataCategory.NOTES,
    outcome: 'RECORD',
    priority: 'RECORD',
    reason: ConsentDataCategory.NEEDS,
    receivedAt: 'RECORD',
    receivingOrganization: 'RECORD',
    sendingOrganization: 'RECORD',
    sentAt: 'RECORD',
    service: 'RECORD',
    sharedCategories: 'RECORD',
    side: 'RECORD',
    status: 'RECORD',
    updatedAt: 'RECORD',
    version: 'RECORD',
  },
  // A step records who by organization and role; the person is named only to their own organization,
  // never to the other side. The sending side's words go with its notes (NOTES).
  ReferralTransition: {
    action: 'RECORD',
    actorId: 'HOLDER_ONLY',
    actorKind: 'RECORD',
    actorRole: 'RECORD',
    at: 'RECORD',
    fromStatus: 'RECORD',
    organization: 'RECORD',
    outcome: 'RECORD',
    reasonCode: 'RECORD',
    side: 'RECORD',
    text: ConsentDataCategory.NOTES,
    toStatus: 'RECORD',
  },
  ReferralNote: {
    authorId: 'HOLDER_ONLY',
    authorKind: 'RECORD',
    authorRole: 'RECORD',
    body: ConsentDataCategory.NOTES,
    createdAt: 'RECORD',
    id: 'RECORD',
    organization: 'RECORD',
    side: 'RECORD',
  },
  ReferralPayload: ['referral', 'warnings'],
  ReferralNotePayload: ['note', 'warnings'],
  Consent: [
    'clientId',
    'createdAt',
    'dataCategories',
    'expiresAt',
    'givenAt',
    'id',
    'language',
    'method',
    'noticeVersion',
    'organization',
    'purpose',
    'recipientOrganizations',
    'recordedBy',
    'refusal',
    'revocationNote',
    'revocationReason',
    'revokedAt',
    'revokedBy',
    'status',
  ],
  RevokeConsentPayload: ['consent', 'warnings'],
  ClientAccessEvent: [
    'action',
    'actorId',
    'actorKind',
    'actorRoles',
    'category',
    'organization',
    'outcome',
    'purpose',
    'recordedAt',
  ],
  PrivacyWarning: ['code', 'field', 'message'],
};

describe('Client data register', () => {
  it.each(Object.keys(CLIENT_DATA_FIELDS))(
    'registers every field of %s, and only fields the schema has',
    (typeName) => {
      expect(Object.keys(CLIENT_DATA_FIELDS[typeName as keyof typeof CLIENT_DATA_FIELDS]).sort()).toEqual(
        fieldsOf(typeName),
      );
    },
  );

  it('says what docs/design.md says each client field is shared under', () => {
    const registered = Object.fromEntries(
      Object.entries(REVIEWED).filter(([typeName]) => typeName in CLIENT_DATA_FIELDS),
    );
    expect(CLIENT_DATA_FIELDS).toEqual(registered);
  });

  it('names every way a client reaches a caller: no other field of the schema returns client data', () => {
    const dataTypes = new Set(Object.keys(CLIENT_DATA_FIELDS));
    const routes: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        if (dataTypes.has(getNamedType(field.type).name)) routes.push(`${type.name}.${field.name}`);
      }
    }
    expect(routes.sort()).toEqual([...CLIENT_DATA_ROUTES].sort());
  });

  it('lists every operation whose answer can reach client data, for the training gate (@ReturnsClientData)', () => {
    const dataTypes = new Set([...Object.keys(CLIENT_DATA_FIELDS), ...HOLDER_CLIENT_RECORD_TYPES]);
    const reaches = new Map<string, boolean>();
    const reachesClientData = (typeName: string): boolean => {
      if (dataTypes.has(typeName)) return true;
      if (reaches.has(typeName)) return reaches.get(typeName)!;
      reaches.set(typeName, false);
      const type = schema.getType(typeName);
      const found =
        (isObjectType(type) || isInterfaceType(type)) &&
        Object.values(type.getFields()).some((field) => reachesClientData(getNamedType(field.type).name));
      reaches.set(typeName, found);
      return found;
    };
    const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!];
    const operations = roots.flatMap((root) =>
      Object.values(root.getFields())
        .filter((field) => reachesClientData(getNamedType(field.type).name))
        .map((field) => `${root.name}.${field.name}`),
    );
    expect(operations.sort()).toEqual([...CLIENT_DATA_OPERATIONS].sort());
  });

  it('has no argument that could name another organization on the ways to clients', () => {
    const query = schema.getQueryType()!.getFields();
    const mutation = schema.getMutationType()!.getFields();
    const client = schema.getType('Client');
    if (!isObjectType(client)) throw new Error('Client is not an object type of the schema');
    const sendInput = schema.getType('SendReferralInput');
    if (!isInputObjectType(sendInput)) throw new Error('SendReferralInput is not an input type of the schema');
    const args = [
      ...query.client.args,
      ...query.clients.args,
      ...query.clientAccessReport.args,
      ...client.getFields().consents.args,
      ...query.referral.args,
      ...query.referrals.args,
      ...mutation.sendReferral.args,
    ];
    // The receiving organization follows from the service; the sending one is always the caller's.
    const names = [
      ...args.map((arg) => arg.name),
      ...Object.keys(sendInput.getFields()).map((field) => `SendReferralInput.${field}`),
    ];
    expect(mutation.sendReferral.args.map((arg) => getNamedType(arg.type).name)).toContain('SendReferralInput');
    expect(names.filter((name) => /organi[sz]ation/i.test(name))).toEqual([]);
  });
});

describe('Client-facing types (reviewed snapshot)', () => {
  it.each(Object.keys(REVIEWED))('%s has exactly the reviewed fields', (typeName) => {
    const reviewed = REVIEWED[typeName];
    expect(fieldsOf(typeName)).toEqual(Array.isArray(reviewed) ? [...reviewed].sort() : Object.keys(reviewed).sort());
  });
});

describe(sharedUnder.name, () => {
  const covering = (...categories: ConsentDataCategory[]) => new Set(categories);

  it('shares the always-shared fields under any active consent, even one covering no category', () => {
    expect(sharedUnder('ALWAYS', covering())).toBe(true);
  });

  it('shares a category only when the consent covers it (deny by default)', () => {
    expect(sharedUnder(ConsentDataCategory.CONTACT, covering())).toBe(false);
    expect(sharedUnder(ConsentDataCategory.CONTACT, covering(ConsentDataCategory.NEEDS))).toBe(false);
    expect(sharedUnder(ConsentDataCategory.CONTACT, covering(ConsentDataCategory.CONTACT))).toBe(true);
  });

  it("never shares the holder's own identifiers and records", () => {
    expect(sharedUnder('HOLDER_ONLY', covering(...Object.values(ConsentDataCategory)))).toBe(false);
  });
});
