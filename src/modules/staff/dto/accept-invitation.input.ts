import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../../auth/password-hasher';
import { PASSWORD_POLICY_DESCRIPTION } from '../../../auth/password-policy';

@InputType({
  description:
    'Accept an invitation with the one-time token you were given. A person new to Harbour sends no credential and chooses a password; a person who already has an account signs in first and accepts with their own session (no password).',
})
export class AcceptInvitationInput {
  @Field({ description: 'The invitation token, exactly as received.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;

  @Field(() => String, {
    nullable: true,
    description: `A new account only: the password to set (${PASSWORD_POLICY_DESCRIPTION}). Leave it out when accepting signed in.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 2)
  password?: string | null;
}
