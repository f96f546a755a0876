import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../auth/password-hasher';

@InputType({ description: 'Accept an invitation with the one-time token you were given.' })
export class AcceptInvitationInput {
  @Field({ description: 'The invitation token, exactly as received.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;

  @Field({
    description: `A new account: the password to set (${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters). An account that already has a password (a person joining a second organization): its current password, which stays unchanged.`,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}
