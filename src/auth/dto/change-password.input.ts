import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password-hasher';
import { PASSWORD_POLICY_DESCRIPTION } from '../password-policy';

@InputType({ description: 'A signed-in person changing their own password.' })
export class ChangePasswordInput {
  @Field({ description: 'The current password, to prove it is the account holder.' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @Field({ description: `The new password: ${PASSWORD_POLICY_DESCRIPTION}` })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 2)
  newPassword: string;
}
