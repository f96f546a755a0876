import { ArgsType, Field, ID } from '@nestjs/graphql';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { IsString, MaxLength } from 'class-validator';

@ArgsType()
export class ClientAccessReportArgs extends ConnectionArgs {
  @Field(() => ID, { description: "Id of one of your organization's clients. Any other id gives NOT_FOUND." })
  @IsString()
  @MaxLength(100)
  clientId: string;
}
