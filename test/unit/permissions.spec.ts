import {
  ApiScope,
  GRANTABLE_ROLES,
  NETWORK_ROLES,
  Permission,
  ROLE_PERMISSIONS,
  Role,
  grantableRoles,
  permissionsForRoles,
  permissionsForScopes,
} from '@harbour/authz';

const ROLES = Object.values(Role);
const SCOPES = Object.values(ApiScope);
const PERMISSIONS = Object.values(Permission);
const ORGANIZATION_ROLES = ROLES.filter((role) => !NETWORK_ROLES.includes(role));

describe(permissionsForRoles.name, () => {
  it.each(ROLES)('gives %s DIRECTORY_READ, OWN_PASSWORD_CHANGE and TRAINING_ACKNOWLEDGE', (role) => {
    const permissions = permissionsForRoles([role]);
    expect(permissions.has(Permission.DIRECTORY_READ)).toBe(true);
    expect(permissions.has(Permission.OWN_PASSWORD_CHANGE)).toBe(true);
    expect(permissions.has(Permission.TRAINING_ACKNOWLEDGE)).toBe(true);
  });

  it('lets a person with no role read the directory, change their password and acknowledge training, and nothing else', () => {
    expect([...permissionsForRoles([])].sort()).toEqual([
      Permission.DIRECTORY_READ,
      Permission.OWN_PASSWORD_CHANGE,
      Permission.TRAINING_ACKNOWLEDGE,
    ]);
  });

  it('lets the NETWORK_ADMIN publish training for any audience and read every coverage, a lead only for their area', () => {
    const admin = permissionsForRoles([Role.NETWORK_ADMIN], { networkOperator: true });
    const lead = permissionsForRoles([Role.SERVICE_AREA_LEAD], { networkOperator: true });
    expect([admin.has(Permission.TRAINING_PUBLISH_ANY_AREA), admin.has(Permission.TRAINING_COVERAGE_ANY)]).toEqual([
      true,
      true,
    ]);
    expect([lead.has(Permission.TRAINING_PUBLISH_ANY_AREA), lead.has(Permission.TRAINING_COVERAGE_ANY)]).toEqual([
      false,
      false,
    ]);
    expect([lead.has(Permission.TRAINING_PUBLISH_LED_AREA), lead.has(Permission.TRAINING_COVERAGE_LED_AREA)]).toEqual([
      true,
      true,
    ]);
  });

  it('gives API clients no training permission: they are exempt', () => {
    const training = Object.values(Permission).filter((p) => p.startsWith('TRAINING_'));
    expect(training.filter((p) => permissionsForScopes(Object.values(ApiScope)).has(p))).toEqual([]);
  });

  it("gives an AUDITOR of an organization its own chain, and only the network operator's auditors every chain", () => {
    const ordinary = permissionsForRoles([Role.AUDITOR]);
    expect(ordinary.has(Permission.AUDIT_READ)).toBe(true);
    expect(ordinary.has(Permission.AUDIT_READ_NETWORK)).toBe(false);
    expect(permissionsForRoles([Role.AUDITOR], { networkOperator: true }).has(Permission.AUDIT_READ_NETWORK)).toBe(
      true,
    );
  });

  it('gives no other role anything extra in the network operator', () => {
    for (const role of ROLES.filter((r) => r !== Role.AUDITOR)) {
      expect([...permissionsForRoles([role], { networkOperator: true })].sort()).toEqual(
        [...permissionsForRoles([role])].sort(),
      );
    }
  });

  it('unites the permissions of several roles', () => {
    const permissions = permissionsForRoles([Role.NETWORK_ADMIN, Role.ORG_ADMIN]);
    for (const permission of [...ROLE_PERMISSIONS[Role.NETWORK_ADMIN], ...ROLE_PERMISSIONS[Role.ORG_ADMIN]]) {
      expect(permissions.has(permission)).toBe(true);
    }
  });

  it("gives ORG_ADMIN its organization's profile, directory, staff, API clients, webhooks and erasure on request", () => {
    expect([...permissionsForRoles([Role.ORG_ADMIN])].sort()).toEqual(
      [
        Permission.API_CLIENT_MANAGE,
        Permission.CLIENT_ERASE,
        Permission.DIRECTORY_MANAGE,
        Permission.DIRECTORY_READ,
        Permission.ORGANIZATION_UPDATE_OWN,
        Permission.OWN_PASSWORD_CHANGE,
        Permission.STAFF_MANAGE,
        Permission.TRAINING_ACKNOWLEDGE,
        Permission.WEBHOOK_MANAGE,
      ].sort(),
    );
  });

  it("gives NETWORK_ADMIN the network's organizations and roles, not an organization's directory or staff", () => {
    const permissions = permissionsForRoles([Role.NETWORK_ADMIN]);
    for (const permission of [
      Permission.ORGANIZATION_CREATE,
      Permission.ORGANIZATION_UPDATE_ANY,
      Permission.STAFF_INVITE_FIRST_ADMIN,
      Permission.NETWORK_ROLES_MANAGE,
    ]) {
      expect(permissions.has(permission)).toBe(true);
    }
    for (const permission of [Permission.DIRECTORY_MANAGE, Permission.STAFF_MANAGE, Permission.API_CLIENT_MANAGE]) {
      expect(permissions.has(permission)).toBe(false);
    }
  });

  it('gives CASEWORKER its own clients and their consents and erasure, their access report, and the sending side of referrals', () => {
    expect([...permissionsForRoles([Role.CASEWORKER])].sort()).toEqual(
      [
        Permission.CLIENT_ACCESS_REPORT,
        Permission.CLIENT_ERASE,
        Permission.CLIENT_READ,
        Permission.CLIENT_WRITE,
        Permission.CONSENT_WRITE,
        Permission.DIRECTORY_READ,
        Permission.OWN_PASSWORD_CHANGE,
        Permission.REFERRAL_OUTBOX_READ,
        Permission.REFERRAL_SEND,
        Permission.TRAINING_ACKNOWLEDGE,
      ].sort(),
    );
  });

  it('gives INTAKE the receiving side of referrals and nothing of clients outside them', () => {
    expect([...permissionsForRoles([Role.INTAKE])].sort()).toEqual(
      [
        Permission.DIRECTORY_READ,
        Permission.OWN_PASSWORD_CHANGE,
        Permission.REFERRAL_INBOX_READ,
        Permission.REFERRAL_RECEIVE,
        Permission.TRAINING_ACKNOWLEDGE,
      ].sort(),
    );
  });

  it.each(ROLES.filter((role) => role !== Role.CASEWORKER && role !== Role.INTAKE))(
    'gives %s no referral permission, in the network operator or not',
    (role) => {
      for (const networkOperator of [false, true]) {
        const permissions = permissionsForRoles([role], { networkOperator });
        for (const permission of [
          Permission.REFERRAL_OUTBOX_READ,
          Permission.REFERRAL_INBOX_READ,
          Permission.REFERRAL_SEND,
          Permission.REFERRAL_RECEIVE,
        ]) {
          expect(permissions.has(permission)).toBe(false);
        }
      }
    },
  );

  it("lets an AUDITOR see who accessed the organization's clients, never the clients themselves", () => {
    const permissions = permissionsForRoles([Role.AUDITOR], { networkOperator: true });
    expect(permissions.has(Permission.CLIENT_ACCESS_REPORT)).toBe(true);
    expect(permissions.has(Permission.CLIENT_READ)).toBe(false);
  });

  it.each(ROLES.filter((role) => role !== Role.CASEWORKER))(
    'gives %s no access to client data, in the network operator or not',
    (role) => {
      for (const networkOperator of [false, true]) {
        const permissions = permissionsForRoles([role], { networkOperator });
        for (const permission of [Permission.CLIENT_READ, Permission.CLIENT_WRITE, Permission.CONSENT_WRITE])
          expect(permissions.has(permission)).toBe(false);
      }
    },
  );

  it('gives NETWORK_ROLES_MANAGE to no organization role', () => {
    for (const role of ORGANIZATION_ROLES)
      expect(permissionsForRoles([role]).has(Permission.NETWORK_ROLES_MANAGE)).toBe(false);
  });
});

describe(permissionsForScopes.name, () => {
  it.each(SCOPES)('gives %s DIRECTORY_READ', (scope) => {
    expect(permissionsForScopes([scope]).has(Permission.DIRECTORY_READ)).toBe(true);
  });

  it('never gives an API client CLIENT_ERASE: erasure is a person acting on the client request', () => {
    expect(permissionsForScopes(SCOPES).has(Permission.CLIENT_ERASE)).toBe(false);
  });

  it('never gives an API client OWN_PASSWORD_CHANGE, whatever its scopes', () => {
    for (const scopes of [[], ...SCOPES.map((scope) => [scope]), SCOPES]) {
      expect(permissionsForScopes(scopes).has(Permission.OWN_PASSWORD_CHANGE)).toBe(false);
    }
  });

  it('never gives an API client power over staff, API clients, roles or other organizations', () => {
    const permissions = permissionsForScopes(SCOPES);
    for (const permission of [
      Permission.STAFF_MANAGE,
      Permission.API_CLIENT_MANAGE,
      Permission.NETWORK_ROLES_MANAGE,
      Permission.STAFF_INVITE_FIRST_ADMIN,
      Permission.ORGANIZATION_CREATE,
      Permission.ORGANIZATION_UPDATE_ANY,
    ]) {
      expect(permissions.has(permission)).toBe(false);
    }
  });

  it('maps the client scopes onto the client permissions; clients:write includes reading (an update answers with the record)', () => {
    expect([...permissionsForScopes([ApiScope.CLIENTS_READ])].sort()).toEqual(
      [Permission.CLIENT_READ, Permission.DIRECTORY_READ].sort(),
    );
    expect([...permissionsForScopes([ApiScope.CLIENTS_WRITE])].sort()).toEqual(
      [Permission.CLIENT_READ, Permission.CLIENT_WRITE, Permission.DIRECTORY_READ].sort(),
    );
    expect([...permissionsForScopes([ApiScope.CONSENTS_WRITE])].sort()).toEqual(
      [Permission.CONSENT_WRITE, Permission.DIRECTORY_READ].sort(),
    );
  });

  it("lets audit:read see who accessed the organization's clients, not the clients", () => {
    expect([...permissionsForScopes([ApiScope.AUDIT_READ])].sort()).toEqual(
      [Permission.AUDIT_READ, Permission.CLIENT_ACCESS_REPORT, Permission.DIRECTORY_READ].sort(),
    );
  });

  it("lets webhooks:write manage its own organization's webhooks and nothing else", () => {
    expect([...permissionsForScopes([ApiScope.WEBHOOKS_WRITE])].sort()).toEqual(
      [Permission.DIRECTORY_READ, Permission.WEBHOOK_MANAGE].sort(),
    );
  });

  it.each(ROLES.filter((role) => role !== Role.ORG_ADMIN))('gives %s no webhook permission', (role) => {
    for (const networkOperator of [false, true])
      expect(permissionsForRoles([role], { networkOperator }).has(Permission.WEBHOOK_MANAGE)).toBe(false);
  });

  it("lets directory:write maintain its own organization's profile and directory", () => {
    expect([...permissionsForScopes([ApiScope.DIRECTORY_WRITE])].sort()).toEqual(
      [Permission.DIRECTORY_MANAGE, Permission.DIRECTORY_READ, Permission.ORGANIZATION_UPDATE_OWN].sort(),
    );
  });
});

describe(grantableRoles.name, () => {
  it('lets STAFF_MANAGE grant the organization roles only', () => {
    expect([...grantableRoles(new Set([Permission.STAFF_MANAGE]))].sort()).toEqual([...ORGANIZATION_ROLES].sort());
  });

  it('lets NETWORK_ROLES_MANAGE grant the network roles only', () => {
    expect([...grantableRoles(new Set([Permission.NETWORK_ROLES_MANAGE]))].sort()).toEqual([...NETWORK_ROLES].sort());
  });

  it.each(PERMISSIONS.filter((permission) => permission !== Permission.NETWORK_ROLES_MANAGE))(
    'grants no network role with %s',
    (permission) => {
      const roles = grantableRoles(new Set([permission]));
      for (const role of NETWORK_ROLES) expect(roles.has(role)).toBe(false);
    },
  );

  it('grants no network role with every other permission together', () => {
    const roles = grantableRoles(
      new Set(PERMISSIONS.filter((permission) => permission !== Permission.NETWORK_ROLES_MANAGE)),
    );
    for (const role of NETWORK_ROLES) expect(roles.has(role)).toBe(false);
  });

  it('grants nothing without a granting permission', () => {
    expect(grantableRoles(new Set([Permission.DIRECTORY_READ, Permission.OWN_PASSWORD_CHANGE])).size).toBe(0);
  });

  it('unites what several permissions grant', () => {
    expect(grantableRoles(new Set([Permission.STAFF_MANAGE, Permission.NETWORK_ROLES_MANAGE])).size).toBe(ROLES.length);
  });

  it('lets an ORG_ADMIN grant the organization roles and a NETWORK_ADMIN the network roles', () => {
    expect([...grantableRoles(permissionsForRoles([Role.ORG_ADMIN]))].sort()).toEqual([...ORGANIZATION_ROLES].sort());
    expect([...grantableRoles(permissionsForRoles([Role.NETWORK_ADMIN]))].sort()).toEqual([...NETWORK_ROLES].sort());
  });

  it('lets no API client grant any role', () => {
    expect(grantableRoles(permissionsForScopes(SCOPES)).size).toBe(0);
  });

  it('names every role as grantable by some permission', () => {
    const grantable = new Set(Object.values(GRANTABLE_ROLES).flat());
    expect([...grantable].sort()).toEqual([...ROLES].sort());
  });
});
