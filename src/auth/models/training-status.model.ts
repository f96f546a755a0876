import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { Actor } from '@harbour/authz';
import { TrainingAudience, audienceOf } from '../../common/training-audience';

@ObjectType('PendingTraining', {
  description:
    'A training module the person has not acknowledged in its current version. Acknowledge it with `acknowledgeTraining`.',
})
export class PendingTrainingModel {
  @Field(() => ID, { description: 'The training module.' })
  id: string;

  @Field({ description: "The module's title." })
  title: string;

  @Field(() => Int, { description: 'The current version: the one to acknowledge.' })
  version: number;

  @Field(() => TrainingAudience, { description: 'Whose staff must acknowledge it.' })
  audience: TrainingAudience;
}

@ObjectType('TrainingStatus', {
  description:
    "A person's training for the organization they act for: every current module for ALL and for the service areas of its ACTIVE services must be acknowledged in its current version before operations that return client data answer.",
})
export class TrainingStatusModel {
  @Field({ description: 'True when nothing is left to acknowledge.' })
  complete: boolean;

  @Field({
    description:
      'True when this server refuses client data to people whose training is not complete (FORBIDDEN with `extensions.reason: TRAINING_REQUIRED`); false when its operator turned the gate off (`TRAINING_REQUIRED=false`).',
  })
  enforced: boolean;

  @Field(() => [PendingTrainingModel], {
    description: 'The modules still to acknowledge, in their current versions (ALL first, then by area and title).',
  })
  pending: PendingTrainingModel[];
}

/** The person's status as the actor loader found it on this request. */
export function trainingStatusOf(actor: Actor, enforced: boolean): TrainingStatusModel {
  return {
    complete: actor.pendingTraining.length === 0,
    enforced,
    pending: actor.pendingTraining.map((module) => ({
      id: module.id,
      title: module.title,
      version: module.version,
      audience: audienceOf(module.serviceArea),
    })),
  };
}
