import { Transform } from 'class-transformer';
import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password-hasher';

@InputType({ description: 'Credentials of a person signing in.' })
export class LoginInput {
  @Field({ description: 'The email address of the staff account (case-insensitive).' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field({ description: 'The account password.' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The organization to act for. Required when the person is a member of several organizations (null means the same as leaving it out); every request then acts for this one.',
  })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;
}
