import { registerEnumType } from '@nestjs/graphql';

/** What kind of thing happened (after FHIR AuditEvent.action / IHE ATNA). */
export enum AuditCategory {
  CREATE = 'CREATE',
  READ = 'READ',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  EXECUTE = 'EXECUTE',
  LOGIN = 'LOGIN',
}

export enum AuditOutcome {
  SUCCESS = 'SUCCESS',
  DENIED = 'DENIED',
  ERROR = 'ERROR',
}

export enum AuditActorKind {
  STAFF = 'STAFF',
  API_CLIENT = 'API_CLIENT',
  ANONYMOUS = 'ANONYMOUS',
  SYSTEM = 'SYSTEM',
}

registerEnumType(AuditCategory, {
  name: 'AuditCategory',
  description: 'What kind of thing an audit event records.',
  valuesMap: {
    CREATE: { description: 'Something was created.' },
    READ: { description: "Someone read data (a client's personal data, or the audit log itself)." },
    UPDATE: { description: 'Something was changed.' },
    DELETE: { description: 'Something was removed or deactivated.' },
    EXECUTE: {
      description:
        'An operation that is not a simple create, read, update or delete (revoking a key, an attempt that was refused).',
    },
    LOGIN: { description: 'A sign-in or an invitation accepted.' },
  },
});

registerEnumType(AuditOutcome, {
  name: 'AuditOutcome',
  description: 'How the recorded attempt ended.',
  valuesMap: {
    SUCCESS: { description: 'It happened.' },
    DENIED: {
      description:
        'It was refused: no credential, no permission, or an object that does not exist or belongs to another organization.',
    },
    ERROR: { description: 'It failed for another reason.' },
  },
});

registerEnumType(AuditActorKind, {
  name: 'AuditActorKind',
  description: 'Who acted.',
  valuesMap: {
    STAFF: { description: 'A signed-in person.' },
    API_CLIENT: { description: 'A partner system with an API key.' },
    ANONYMOUS: { description: 'A caller without a valid credential.' },
    SYSTEM: { description: 'Harbour itself (a scheduled job, a bootstrap command).' },
  },
});

/** Who acted, for which organization, with which roles, in which request. */
export interface AuditContext {
  actorKind: AuditActorKind;
  actorId: string | null;
  /** The acting organization: its chain receives the event. Null for anonymous callers. */
  organizationId: string | null;
  roles: readonly string[];
  requestId: string | null;
  sourceAddress: string | null;
}

/**
 * What a use case says happened. Ids, codes and reasons only: never names, contact details, free
 * text, passwords, tokens or keys (the log must hold no personal data).
 */
export interface AuditEventInput {
  /** Dotted name: `organization.update`, `staff.login`, `client.read`… */
  action: string;
  category: AuditCategory;
  entityType?: string | null;
  entityId?: string | null;
  subjectClientId?: string | null;
  purpose?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, AuditDetailValue>;
}

export type AuditDetailValue = string | number | boolean | null | readonly string[];

/** The chain of events that have no acting organization (anonymous callers). */
export const NETWORK_CHAIN = 'network';

/** The names of the input fields a caller sent (never their values): what an update touched. */
export function presentFields(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key)
    .sort();
}
