import { Field, InputType } from '@nestjs/graphql';
import { ApiScope } from '@harbour/authz';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsBoolean,
  IsEnum,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

@InputType({ description: 'Register a partner system for your organization.' })
export class CreateApiClientInput {
  @Field({ description: 'A name that says which system this is (shown in lists and the audit log).' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => [ApiScope], { description: 'What the system may do. Grant the fewest scopes that work.' })
  @IsEnum(ApiScope, { each: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @ArrayMaxSize(8)
  scopes: ApiScope[];

  @Field({
    description:
      'Required, and must be true: you attest that the staff who operate this system have acknowledged the current training modules of your organization. API clients are exempt from the training gate on this word; who attested and when is kept with the key and audited.',
  })
  @IsBoolean()
  @Equals(true, { message: '$property must be true: the staff operating the system must be trained first' })
  operatorsTrained: boolean;
}
