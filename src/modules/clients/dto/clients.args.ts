import { ArgsType, Field } from '@nestjs/graphql';
import { ConnectionArgs, trim } from '@harbour/graphql-kit';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { SEARCH_MAX_LENGTH } from '../client-fields';

@ArgsType()
export class ClientsArgs extends ConnectionArgs {
  @Field(() => String, {
    nullable: true,
    description: `Only clients whose preferred or legal name contains this text, ignoring case, or whose municipal ID number is exactly this text (1 to ${SEARCH_MAX_LENGTH} characters; \`%\` and \`_\` match themselves). Searches your own organization's clients only; needs are never searched.`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(SEARCH_MAX_LENGTH)
  search?: string | null;
}
