import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsInt, IsUUID, Max, Min } from 'class-validator';

@ArgsType()
export class AcknowledgeTrainingArgs {
  @Field(() => ID, { description: 'The training module.' })
  @IsUUID('all')
  moduleId: string;

  @Field(() => Int, {
    description:
      'The version read (`TrainingModule.version`). Only the current version can be acknowledged: another is CONFLICT naming `version`, so that nobody acknowledges text they did not see.',
  })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version: number;
}
