import { ForbiddenError } from '@harbour/graphql-kit';
import type { Actor, PendingTraining } from './actor';

/** How the permission guard is configured by the application. */
export interface AuthzOptions {
  /** Refuse client data to people with training still to acknowledge (TRAINING_REQUIRED, on by default). */
  readonly trainingRequired: boolean;
}

export const AUTHZ_OPTIONS = Symbol('AUTHZ_OPTIONS');

export const TRAINING_REQUIRED = 'TRAINING_REQUIRED';

/**
 * FORBIDDEN with `extensions.reason: TRAINING_REQUIRED` and the modules to acknowledge (ids, titles,
 * versions, audiences: no personal data), so that a client can send the person to `trainingModules`
 * and `acknowledgeTraining`.
 */
export class TrainingRequiredError extends ForbiddenError {
  constructor(readonly modules: readonly PendingTraining[]) {
    super(
      `Client data is shown only to staff who have acknowledged the current version of their training modules: ${modules.length} to acknowledge (see trainingModules, then acknowledgeTraining).`,
      {
        reason: TRAINING_REQUIRED,
        // The audience as TrainingAudience names it in the schema: ALL or a service area.
        trainingModules: modules.map(({ id, title, version, serviceArea }) => ({
          id,
          title,
          version,
          audience: serviceArea ?? 'ALL',
        })),
      },
    );
  }
}

/** The training gate: a person with modules to acknowledge may not reach client data; API clients are exempt. */
export function requireTraining(actor: Actor, options: AuthzOptions): void {
  if (!options.trainingRequired || actor.kind !== 'STAFF' || actor.pendingTraining.length === 0) return;
  throw new TrainingRequiredError(actor.pendingTraining);
}
