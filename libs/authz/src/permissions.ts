import { registerEnumType } from '@nestjs/graphql';

/**
 * Harbour's authorization model as data: roles (held per organization membership) and API-client
 * scopes map onto permissions through the two tables below — the only place that says who may do
 * what. Resolvers declare the permission they need; services check objects by id and organization.
 */
export enum Role {
  NETWORK_ADMIN = 'NETWORK_ADMIN',
  ORG_ADMIN = 'ORG_ADMIN',
  CASEWORKER = 'CASEWORKER',
  INTAKE = 'INTAKE',
  AUDITOR = 'AUDITOR',
  SERVICE_AREA_LEAD = 'SERVICE_AREA_LEAD',
}

/** Roles that exist only in the network operator's organization (also enforced by the database). */
export const NETWORK_ROLES: readonly Role[] = [Role.NETWORK_ADMIN, Role.SERVICE_AREA_LEAD];

export enum ApiScope {
  DIRECTORY_WRITE = 'directory:write',
  CLIENTS_READ = 'clients:read',
  CLIENTS_WRITE = 'clients:write',
  CONSENTS_WRITE = 'consents:write',
  REFERRALS_READ = 'referrals:read',
  REFERRALS_WRITE = 'referrals:write',
  AUDIT_READ = 'audit:read',
  WEBHOOKS_WRITE = 'webhooks:write',
}

export enum Permission {
  /** Read organizations, services and locations (every authenticated caller). */
  DIRECTORY_READ = 'DIRECTORY_READ',
  /** Admit an organization to the network. */
  ORGANIZATION_CREATE = 'ORGANIZATION_CREATE',
  /** Update any organization's profile (the network operator). */
  ORGANIZATION_UPDATE_ANY = 'ORGANIZATION_UPDATE_ANY',
  /** Update the acting organization's own profile. */
  ORGANIZATION_UPDATE_OWN = 'ORGANIZATION_UPDATE_OWN',
  /** Create and update the acting organization's services and locations. */
  DIRECTORY_MANAGE = 'DIRECTORY_MANAGE',
  /** Invite, re-role and deactivate the acting organization's staff (organization roles). */
  STAFF_MANAGE = 'STAFF_MANAGE',
  /** Grant and withdraw the network roles, within the network operator. */
  NETWORK_ROLES_MANAGE = 'NETWORK_ROLES_MANAGE',
  /** Invite the first ORG_ADMIN of an organization that has none. */
  STAFF_INVITE_FIRST_ADMIN = 'STAFF_INVITE_FIRST_ADMIN',
  /** Create, list and revoke the acting organization's API clients. */
  API_CLIENT_MANAGE = 'API_CLIENT_MANAGE',
  /** Change one's own password (people only; API clients have none). */
  OWN_PASSWORD_CHANGE = 'OWN_PASSWORD_CHANGE',
  /** Read and verify the acting organization's audit chain. */
  AUDIT_READ = 'AUDIT_READ',
  /** Verify every chain and read every organization's events, client ids pseudonymised (the network operator's auditors). */
  AUDIT_READ_NETWORK = 'AUDIT_READ_NETWORK',
  /** Read the acting organization's own clients and their consents; every read is audited. */
  CLIENT_READ = 'CLIENT_READ',
  /** Register and update the acting organization's own clients. */
  CLIENT_WRITE = 'CLIENT_WRITE',
  /** Record and revoke consents of the acting organization's own clients. */
  CONSENT_WRITE = 'CONSENT_WRITE',
  /** Erase the personal data of one of the acting organization's own clients, at the client's request. */
  CLIENT_ERASE = 'CLIENT_ERASE',
  /** See who accessed one of the acting organization's own clients (its disclosure log). */
  CLIENT_ACCESS_REPORT = 'CLIENT_ACCESS_REPORT',
  /** Read the referrals the acting organization sent (its outbox), with its own client's data. */
  REFERRAL_OUTBOX_READ = 'REFERRAL_OUTBOX_READ',
  /** Read the referrals addressed to the acting organization (its inbox), with what the client's consent shares. */
  REFERRAL_INBOX_READ = 'REFERRAL_INBOX_READ',
  /** Send referrals of the acting organization's clients, cancel them and add notes to them (the sending side). */
  REFERRAL_SEND = 'REFERRAL_SEND',
  /** Work the referrals addressed to the acting organization and add notes to them (the receiving side). */
  REFERRAL_RECEIVE = 'REFERRAL_RECEIVE',
  /** Manage the acting organization's webhook endpoints and their deliveries. */
  WEBHOOK_MANAGE = 'WEBHOOK_MANAGE',
  /** Read the suppressed, aggregate referral report of the service area one leads. */
  REFERRAL_REPORT_AREA = 'REFERRAL_REPORT_AREA',
  /** Read the suppressed, aggregate referral report of any service area, or of all of them (the network operator). */
  REFERRAL_REPORT_NETWORK = 'REFERRAL_REPORT_NETWORK',
  /** Read the current training modules and acknowledge them (every person; API clients are exempt from training). */
  TRAINING_ACKNOWLEDGE = 'TRAINING_ACKNOWLEDGE',
  /** Publish training modules, and new versions of them, for any service area or ALL (the network operator). */
  TRAINING_PUBLISH_ANY_AREA = 'TRAINING_PUBLISH_ANY_AREA',
  /** Publish training modules, and new versions of them, for the service area one leads. */
  TRAINING_PUBLISH_LED_AREA = 'TRAINING_PUBLISH_LED_AREA',
  /** Read training coverage (counts of trained staff) of every organization. */
  TRAINING_COVERAGE_ANY = 'TRAINING_COVERAGE_ANY',
  /** Read training coverage (counts of trained staff) of the organizations with services in the area one leads. */
  TRAINING_COVERAGE_LED_AREA = 'TRAINING_COVERAGE_LED_AREA',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'A role held within one organization membership. One person may hold several.',
  valuesMap: {
    NETWORK_ADMIN: {
      description:
        'Network operator only: admits and updates organizations, invites their first ORG_ADMIN, names service-area leads, reads the aggregate, small-cell-suppressed referral report of every service area (`referralReport`). No access to client data.',
    },
    ORG_ADMIN: {
      description:
        "Manages the organization's profile, services, locations, staff, API clients and webhooks. Never grants roles to itself.",
    },
    CASEWORKER: {
      description: 'Registers clients, records and revokes consent, sends and cancels referrals, adds notes.',
    },
    INTAKE: {
      description:
        'Works the referrals addressed to the organization: accept, decline, start, hold, resume, complete, close unmet.',
    },
    AUDITOR: { description: "Reads and verifies the organization's audit log." },
    SERVICE_AREA_LEAD: {
      description:
        'Network operator only: reads the aggregate, small-cell-suppressed referral report (`referralReport`) of the one service area it leads. No client data.',
    },
  },
});

registerEnumType(ApiScope, {
  name: 'ApiScope',
  description: 'What an API client (a partner system) may do, mapped onto the same permissions as staff roles.',
  valuesMap: {
    DIRECTORY_WRITE: { description: "Maintain the organization's profile, services and locations." },
    CLIENTS_READ: {
      description: "Read the organization's own clients and their consents. Every read is recorded in the audit log.",
    },
    CLIENTS_WRITE: {
      description:
        "Register and update the organization's own clients. Includes reading them (`CLIENTS_READ`): an update answers with the whole record.",
    },
    CONSENTS_WRITE: { description: 'Record and revoke consents.' },
    REFERRALS_READ: {
      description:
        "Read the organization's referrals (inbox and outbox). Every read of client data in them is recorded in the audit log.",
    },
    REFERRALS_WRITE: {
      description:
        'Send, cancel and work referrals and add notes to them. Includes reading them (`REFERRALS_READ`): every change answers with the referral.',
    },
    AUDIT_READ: {
      description: "Read the organization's audit log, and who accessed each of its clients (`clientAccessReport`).",
    },
    WEBHOOKS_WRITE: {
      description:
        "Manage the organization's webhook endpoints (create, change, rotate secrets, delete, test) and read and redeliver their deliveries. Webhook bodies hold ids only.",
    },
  },
});

registerEnumType(Permission, {
  name: 'Permission',
  description: 'An effective permission of the acting caller, derived from its roles or scopes.',
  valuesMap: {
    DIRECTORY_READ: { description: 'Read organizations, services and locations.' },
    ORGANIZATION_CREATE: { description: 'Admit an organization to the network.' },
    ORGANIZATION_UPDATE_ANY: { description: "Update any organization's profile." },
    ORGANIZATION_UPDATE_OWN: { description: "Update the acting organization's profile." },
    DIRECTORY_MANAGE: { description: "Create and update the acting organization's services and locations." },
    STAFF_MANAGE: { description: "Invite, re-role and deactivate the acting organization's staff." },
    NETWORK_ROLES_MANAGE: {
      description: 'Grant and withdraw NETWORK_ADMIN and SERVICE_AREA_LEAD within the network operator.',
    },
    STAFF_INVITE_FIRST_ADMIN: { description: 'Invite the first ORG_ADMIN of an organization that has none.' },
    API_CLIENT_MANAGE: { description: "Create, list and revoke the acting organization's API clients." },
    OWN_PASSWORD_CHANGE: { description: "Change one's own password." },
    AUDIT_READ: { description: "Read and verify the acting organization's audit log." },
    AUDIT_READ_NETWORK: {
      description:
        "Verify every organization's audit chain and read its events, with client ids pseudonymised (network operator's auditors only).",
    },
    CLIENT_READ: {
      description:
        "Read the acting organization's own clients and their consents. Every read is recorded in the audit log.",
    },
    CLIENT_WRITE: { description: "Register and update the acting organization's own clients." },
    CONSENT_WRITE: { description: "Record and revoke consents of the acting organization's own clients." },
    CLIENT_ERASE: {
      description:
        "Erase the personal data of one of the acting organization's own clients at the client's request (`eraseClient`). People only: no API scope grants it.",
    },
    CLIENT_ACCESS_REPORT: {
      description: "See who accessed one of the acting organization's own clients (`clientAccessReport`).",
    },
    REFERRAL_OUTBOX_READ: {
      description:
        'Read the referrals the acting organization sent. Every read of client data in them is recorded in the audit log.',
    },
    REFERRAL_INBOX_READ: {
      description:
        "Read the referrals addressed to the acting organization, with only what the client's consent shares. Every read of client data is recorded in the audit log.",
    },
    REFERRAL_SEND: {
      description: "Send referrals of the acting organization's clients, cancel them and add notes to them.",
    },
    REFERRAL_RECEIVE: {
      description:
        'Accept, decline, start, hold, resume, complete and close unmet the referrals addressed to the acting organization, and add notes to them.',
    },
    WEBHOOK_MANAGE: {
      description:
        "Manage the acting organization's webhook endpoints and read, redeliver and replay their deliveries.",
    },
    REFERRAL_REPORT_AREA: {
      description:
        'Read the aggregate, small-cell-suppressed referral report (`referralReport`) of the service area one leads. No client data.',
    },
    REFERRAL_REPORT_NETWORK: {
      description:
        'Read the aggregate, small-cell-suppressed referral report (`referralReport`) of any service area or of the whole network. No client data.',
    },
    TRAINING_ACKNOWLEDGE: {
      description:
        'Read the current training modules (`trainingModules`) and acknowledge them (`acknowledgeTraining`).',
    },
    TRAINING_PUBLISH_ANY_AREA: {
      description: 'Publish training modules and new versions of them for any service area, or for ALL.',
    },
    TRAINING_PUBLISH_LED_AREA: {
      description: 'Publish training modules and new versions of them for the service area one leads.',
    },
    TRAINING_COVERAGE_ANY: {
      description:
        "Read how many of each organization's staff have completed their training (`trainingCoverage`), every organization.",
    },
    TRAINING_COVERAGE_LED_AREA: {
      description:
        'Read how many staff have completed their training (`trainingCoverage`) in the organizations with services in the area one leads.',
    },
  },
});

const EVERYONE: readonly Permission[] = [Permission.DIRECTORY_READ];
/** Every person, whatever their roles (a membership may hold none): everyone is trained before client data. */
const EVERY_PERSON: readonly Permission[] = [Permission.OWN_PASSWORD_CHANGE, Permission.TRAINING_ACKNOWLEDGE];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  [Role.NETWORK_ADMIN]: [
    Permission.ORGANIZATION_CREATE,
    Permission.ORGANIZATION_UPDATE_ANY,
    Permission.STAFF_INVITE_FIRST_ADMIN,
    Permission.NETWORK_ROLES_MANAGE,
    Permission.REFERRAL_REPORT_NETWORK,
    Permission.TRAINING_PUBLISH_ANY_AREA,
    Permission.TRAINING_COVERAGE_ANY,
  ],
  [Role.ORG_ADMIN]: [
    Permission.ORGANIZATION_UPDATE_OWN,
    Permission.DIRECTORY_MANAGE,
    Permission.STAFF_MANAGE,
    Permission.API_CLIENT_MANAGE,
    Permission.WEBHOOK_MANAGE,
    Permission.CLIENT_ERASE,
  ],
  [Role.CASEWORKER]: [
    Permission.CLIENT_READ,
    Permission.CLIENT_WRITE,
    Permission.CONSENT_WRITE,
    Permission.CLIENT_ACCESS_REPORT,
    Permission.REFERRAL_OUTBOX_READ,
    Permission.REFERRAL_SEND,
    Permission.CLIENT_ERASE,
  ],
  // INTAKE sees clients only through the referrals addressed to its organization, under consent.
  [Role.INTAKE]: [Permission.REFERRAL_INBOX_READ, Permission.REFERRAL_RECEIVE],
  [Role.AUDITOR]: [Permission.AUDIT_READ, Permission.CLIENT_ACCESS_REPORT],
  [Role.SERVICE_AREA_LEAD]: [
    Permission.REFERRAL_REPORT_AREA,
    Permission.TRAINING_PUBLISH_LED_AREA,
    Permission.TRAINING_COVERAGE_LED_AREA,
  ],
};

export const SCOPE_PERMISSIONS: Readonly<Record<ApiScope, readonly Permission[]>> = {
  [ApiScope.DIRECTORY_WRITE]: [Permission.ORGANIZATION_UPDATE_OWN, Permission.DIRECTORY_MANAGE],
  [ApiScope.CLIENTS_READ]: [Permission.CLIENT_READ],
  // updateClient answers with the whole record, so a write-only scope would be a false promise.
  [ApiScope.CLIENTS_WRITE]: [Permission.CLIENT_WRITE, Permission.CLIENT_READ],
  // Recording a consent needs a client id, not the client's data.
  [ApiScope.CONSENTS_WRITE]: [Permission.CONSENT_WRITE],
  [ApiScope.REFERRALS_READ]: [Permission.REFERRAL_OUTBOX_READ, Permission.REFERRAL_INBOX_READ],
  // Sending and working answer with the referral, so writing includes reading it.
  [ApiScope.REFERRALS_WRITE]: [
    Permission.REFERRAL_OUTBOX_READ,
    Permission.REFERRAL_INBOX_READ,
    Permission.REFERRAL_SEND,
    Permission.REFERRAL_RECEIVE,
  ],
  // The access report is a view of the audit log, not of the client's data.
  [ApiScope.AUDIT_READ]: [Permission.AUDIT_READ, Permission.CLIENT_ACCESS_REPORT],
  // A partner system can set up where it hears of changes; the bodies it receives hold ids only.
  [ApiScope.WEBHOOKS_WRITE]: [Permission.WEBHOOK_MANAGE],
};

/**
 * What a role adds when it is held in the network operator's organization: the operator's
 * auditors oversee every chain (docs/design.md, Roles).
 */
export const NETWORK_OPERATOR_ROLE_PERMISSIONS: Readonly<Partial<Record<Role, readonly Permission[]>>> = {
  [Role.AUDITOR]: [Permission.AUDIT_READ_NETWORK],
};

/** Which roles a permission lets its holder grant or withdraw for others. */
export const GRANTABLE_ROLES: Readonly<Partial<Record<Permission, readonly Role[]>>> = {
  [Permission.STAFF_MANAGE]: [Role.ORG_ADMIN, Role.CASEWORKER, Role.INTAKE, Role.AUDITOR],
  [Permission.NETWORK_ROLES_MANAGE]: [Role.NETWORK_ADMIN, Role.SERVICE_AREA_LEAD],
};

export function permissionsForRoles(
  roles: readonly Role[],
  options: { networkOperator: boolean } = { networkOperator: false },
): ReadonlySet<Permission> {
  return new Set([
    ...EVERYONE,
    ...EVERY_PERSON,
    ...roles.flatMap((role) => ROLE_PERMISSIONS[role]),
    ...(options.networkOperator ? roles.flatMap((role) => NETWORK_OPERATOR_ROLE_PERMISSIONS[role] ?? []) : []),
  ]);
}

export function permissionsForScopes(scopes: readonly ApiScope[]): ReadonlySet<Permission> {
  return new Set([...EVERYONE, ...scopes.flatMap((scope) => SCOPE_PERMISSIONS[scope])]);
}

/** The roles an actor with these permissions may grant or withdraw for someone else. */
export function grantableRoles(permissions: ReadonlySet<Permission>): ReadonlySet<Role> {
  const roles = new Set<Role>();
  for (const [permission, grantable] of Object.entries(GRANTABLE_ROLES) as [Permission, readonly Role[]][]) {
    if (permissions.has(permission)) grantable.forEach((role) => roles.add(role));
  }
  return roles;
}
