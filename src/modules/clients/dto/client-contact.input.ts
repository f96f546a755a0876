import { Field, InputType } from '@nestjs/graphql';
import { NotNullWhenPresent } from '@harbour/graphql-kit';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH, PHONE_MAX_LENGTH, PHONE_PATTERN } from '../../../common/field-limits';
import { ContactPreference } from '../client.enums';

const PHONE_MESSAGE =
  '$property must be a phone number: digits with spaces, dots, dashes or brackets, an optional leading + and extension';

@InputType({
  description: 'How to reach a new client. PHONE_ONLY needs a phone number and EMAIL_ONLY an email address.',
})
export class ClientContactInput {
  @Field(() => String, { nullable: true, description: `Phone number (up to ${PHONE_MAX_LENGTH} characters).` })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_MAX_LENGTH)
  @Matches(PHONE_PATTERN, { message: PHONE_MESSAGE })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Email address.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string | null;

  @Field(() => ContactPreference, {
    nullable: true,
    description: 'How the client agrees to be contacted (default ANY).',
  })
  @IsOptional()
  @IsEnum(ContactPreference)
  preference?: ContactPreference | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True only if the client said a message may be left (default false).',
  })
  @IsOptional()
  @IsBoolean()
  safeToLeaveMessage?: boolean | null;
}

@InputType({
  description:
    'Changes to how to reach a client. An omitted field keeps its value; `null` clears the phone or the email. The result must still satisfy the rules of ClientContactInput.',
})
export class UpdateClientContactInput {
  @Field(() => String, { nullable: true, description: 'Phone number; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_MAX_LENGTH)
  @Matches(PHONE_PATTERN, { message: PHONE_MESSAGE })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Email address; null clears it.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string | null;

  @Field(() => ContactPreference, { nullable: true, description: 'How the client agrees to be contacted.' })
  @NotNullWhenPresent()
  @IsEnum(ContactPreference)
  preference?: ContactPreference;

  @Field(() => Boolean, { nullable: true, description: 'Whether the client said a message may be left.' })
  @NotNullWhenPresent()
  @IsBoolean()
  safeToLeaveMessage?: boolean;
}
