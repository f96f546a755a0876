import { ArgsType, Field } from '@nestjs/graphql';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { IsEnum, IsOptional } from 'class-validator';
import { TrainingAudience } from '../../../common/training-audience';

@ArgsType()
export class TrainingModulesArgs extends ConnectionArgs {
  @Field(() => TrainingAudience, { nullable: true, description: 'Only the modules of this audience.' })
  @IsOptional()
  @IsEnum(TrainingAudience)
  audience?: TrainingAudience | null;
}
